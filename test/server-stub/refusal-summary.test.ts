/**
 * What a refusal leaves in the log (server-stub/cybersource/refusal-summary.ts): identifiers,
 * codes and field names of each envelope CyberSource uses, never text, and never a value shaped
 * like a card number, wherever an answer might echo one.
 */
import { expect, it } from 'vitest';
import { refusalSummary } from '../../server-stub/cybersource/refusal-summary.ts';

it('keeps the id, status, reason and field names of a Payments refusal, and no message', () => {
  const text = JSON.stringify({
    id: '7000000000000000000002',
    status: 'INVALID_REQUEST',
    reason: 'INVALID_DATA',
    message: 'Declined - 4111111111111111 is invalid',
    details: [{ field: 'orderInformation.billTo.postalCode', reason: 'INVALID_DATA' }],
  });
  expect(refusalSummary(text)).toEqual({
    id: '7000000000000000000002',
    status: 'INVALID_REQUEST',
    reason: 'INVALID_DATA',
    fields: ['orderInformation.billTo.postalCode'],
  });
});

it('reads TMS and Flex envelopes too', () => {
  const tms = { errors: [{ type: 'invalidRequest', details: [{ name: 'card.number' }] }] };
  expect(refusalSummary(JSON.stringify(tms))).toEqual({
    reason: 'invalidRequest',
    fields: ['card.number'],
  });
  const flex = {
    responseStatus: {
      status: 400,
      reason: 'VALIDATION_ERROR',
      details: [{ location: 'targetOrigins' }],
    },
  };
  expect(refusalSummary(JSON.stringify(flex))).toEqual({
    reason: 'VALIDATION_ERROR',
    fields: ['targetOrigins'],
  });
});

it('drops a card-number-shaped value wherever it appears, and answers nothing for HTML', () => {
  const text = JSON.stringify({
    id: '4111111111111111',
    reason: '4111-1111-1111-1111',
    details: [{ field: '4111111111111111' }, { field: 'paymentInformation.card.number' }],
  });
  expect(refusalSummary(text)).toEqual({ fields: ['paymentInformation.card.number'] });
  expect(refusalSummary('<html>Bad Gateway</html>')).toBeUndefined();
});
