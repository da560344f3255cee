import { beforeEach, describe, expect, it } from 'vitest';
import { PtsErrorBody } from '../../../cybersource/envelopes.ts';
import { cardPayment, setup } from './setup.ts';

const t = setup();

const without = (path: string[]) => {
  const body = cardPayment();
  let node: any = body;
  for (const k of path.slice(0, -1)) node = node[k];
  delete node[path.at(-1) as string];
  return body;
};

const withValue = (path: string[], value: unknown) => {
  const body = cardPayment();
  let node: any = body;
  for (const k of path.slice(0, -1)) node = node[k];
  node[path.at(-1) as string] = value;
  return body;
};

describe('POST /pts/v2/payments: 400 INVALID_REQUEST with field details', () => {
  beforeEach(() => t.reset());

  it.each([
    [
      'totalAmount',
      without(['orderInformation', 'amountDetails', 'totalAmount']),
      'orderInformation.amountDetails.totalAmount',
    ],
    [
      'currency',
      without(['orderInformation', 'amountDetails', 'currency']),
      'orderInformation.amountDetails.currency',
    ],
    ['orderInformation', without(['orderInformation']), 'orderInformation'],
    [
      'expirationMonth',
      without(['paymentInformation', 'card', 'expirationMonth']),
      'paymentInformation.card.expirationMonth',
    ],
    [
      'expirationYear',
      without(['paymentInformation', 'card', 'expirationYear']),
      'paymentInformation.card.expirationYear',
    ],
    ['any payment source', without(['paymentInformation']), 'paymentInformation.card.number'],
  ])('MISSING_FIELD when %s is absent', async (_, body, field) => {
    const r = await t.post('/pts/v2/payments', body);
    expect(r.status).toBe(400);
    const e = PtsErrorBody.parse(r.body);
    expect(e).toMatchObject({
      status: 'INVALID_REQUEST',
      reason: 'MISSING_FIELD',
      message: 'Declined - The request is missing one or more fields',
    });
    expect(e.details).toContainEqual({ field, reason: 'MISSING_FIELD' });
  });

  it.each([
    [
      'amount with a comma',
      ['orderInformation', 'amountDetails', 'totalAmount'],
      '1,00',
      'orderInformation.amountDetails.totalAmount',
    ],
    [
      'negative amount',
      ['orderInformation', 'amountDetails', 'totalAmount'],
      '-5.00',
      'orderInformation.amountDetails.totalAmount',
    ],
    [
      'numeric amount',
      ['orderInformation', 'amountDetails', 'totalAmount'],
      10,
      'orderInformation.amountDetails.totalAmount',
    ],
    [
      'three decimals in USD',
      ['orderInformation', 'amountDetails', 'totalAmount'],
      '1.001',
      'orderInformation.amountDetails.totalAmount',
    ],
    [
      'unknown currency',
      ['orderInformation', 'amountDetails', 'currency'],
      'XYZ',
      'orderInformation.amountDetails.currency',
    ],
    [
      'letters in the card number',
      ['paymentInformation', 'card', 'number'],
      '4111abcd11111111',
      'paymentInformation.card.number',
    ],
    [
      'an 11-digit card number',
      ['paymentInformation', 'card', 'number'],
      '41111111111',
      'paymentInformation.card.number',
    ],
    [
      'month 13',
      ['paymentInformation', 'card', 'expirationMonth'],
      '13',
      'paymentInformation.card.expirationMonth',
    ],
    [
      'month without leading zero',
      ['paymentInformation', 'card', 'expirationMonth'],
      '1',
      'paymentInformation.card.expirationMonth',
    ],
    [
      'two-digit year',
      ['paymentInformation', 'card', 'expirationYear'],
      '31',
      'paymentInformation.card.expirationYear',
    ],
    [
      'five-digit security code',
      ['paymentInformation', 'card', 'securityCode'],
      '12345',
      'paymentInformation.card.securityCode',
    ],
    [
      'a card type the number is not',
      ['paymentInformation', 'card', 'type'],
      '003',
      'paymentInformation.card.type',
    ],
    [
      'capture neither a boolean nor "true"/"false"',
      ['processingInformation', 'capture'],
      'yes',
      'processingInformation.capture',
    ],
    [
      'unknown commerceIndicator',
      ['processingInformation', 'commerceIndicator'],
      'web',
      'processingInformation.commerceIndicator',
    ],
    [
      'a 60-character code',
      ['clientReferenceInformation', 'code'],
      'x'.repeat(60),
      'clientReferenceInformation.code',
    ],
  ])('INVALID_DATA for %s', async (_, path, value, field) => {
    const r = await t.post('/pts/v2/payments', withValue(path as string[], value));
    expect(r.status).toBe(400);
    expect(r.body).toMatchObject({
      status: 'INVALID_REQUEST',
      reason: 'INVALID_DATA',
      message: 'Declined - One or more fields in the request contains invalid data',
    });
    expect(r.body.details).toContainEqual({ field, reason: 'INVALID_DATA' });
  });

  it('refuses a zero-amount sale but accepts a zero-amount authorization', async () => {
    const sale = await t.post('/pts/v2/payments', cardPayment({ amount: '0.00', capture: true }));
    expect(sale.status).toBe(400);
    const auth = await t.post('/pts/v2/payments', cardPayment({ amount: '0.00' }));
    expect(auth.status).toBe(201);
    expect(auth.body.orderInformation.amountDetails.authorizedAmount).toBe('0.00');
  });

  it.each([
    ['a body that is not JSON', '{"orderInformation":'],
    ['a JSON array', '[]'],
  ])('refuses %s', async (_, rawBody) => {
    const r = await t.call('/pts/v2/payments', { rawBody });
    expect(r.status).toBe(400);
    expect(r.body.status).toBe('INVALID_REQUEST');
  });

  it('refuses actions it does not emulate rather than ignoring them', async () => {
    const body = withValue(['processingInformation', 'actionList'], ['CONSUMER_AUTHENTICATION']);
    const r = await t.post('/pts/v2/payments', body);
    expect(r.status).toBe(400);
    expect(r.body.reason).toBe('NOT_SUPPORTED');
  });

  it('reads "true"/"false" strings as yes/no fields, as CyberSource\'s own examples send them', async () => {
    const authorized = await t.post(
      '/pts/v2/payments',
      withValue(['processingInformation', 'capture'], 'false'),
    );
    expect(authorized.status).toBe(201);
    expect(authorized.body._links).toHaveProperty('capture');
    const sale = await t.post(
      '/pts/v2/payments',
      withValue(['processingInformation', 'capture'], 'true'),
    );
    expect(sale.status).toBe(201);
    expect(sale.body._links).not.toHaveProperty('capture');
  });

  it('records nothing for a refused request', async () => {
    await t.post('/pts/v2/payments', without(['orderInformation']));
    expect(t.emulator.state.payments.transactions.size).toBe(0);
  });
});
