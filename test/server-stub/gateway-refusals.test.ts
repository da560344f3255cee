/**
 * What a CyberSource refusal becomes in the stub's catalog, for each API family's envelope as
 * CyberSource documents it (API-FACTS §2.7 payments, §3.2 TMS, §4 Flex, §5.1 Microform
 * sessions). The reason and the fields named are what an operator reads in the log and what
 * the widget puts on a field: each family's must survive, not only the payments one's.
 */
import { describe, expect, it } from 'vitest';
import { failureFor } from '../../server-stub/cybersource/responses.ts';

const answer = (status: number, body: unknown) => ({
  status,
  text: JSON.stringify(body),
  headers: new Headers({ 'content-type': 'application/json' }),
});

describe('a CyberSource refusal', () => {
  it('keeps a payments refusal’s reason and fields', () => {
    const e = failureFor(
      answer(400, {
        submitTimeUtc: '2026-11-29T12:00:00Z',
        status: 'INVALID_REQUEST',
        reason: 'MISSING_FIELD',
        message: 'Declined - The request is missing one or more fields',
        details: [{ field: 'orderInformation.billTo.country', reason: 'MISSING_FIELD' }],
      }),
    );
    expect(e.code).toBe('gateway_invalid_request');
    expect(e.reason).toBe('MISSING_FIELD');
    expect(e.details).toEqual([
      { field: 'orderInformation.billTo.country', reason: 'MISSING_FIELD' },
    ]);
  });

  it('keeps a TMS refusal’s type and the fields it names (API-FACTS §3.2)', () => {
    const e = failureFor(
      answer(400, {
        errors: [
          {
            type: 'invalidCombination',
            message: 'The combination is invalid.',
            details: [
              { name: 'id', location: 'instrumentIdentifier' },
              { name: 'card', location: 'instrumentIdentifier' },
            ],
          },
        ],
      }),
    );
    expect(e.code).toBe('gateway_invalid_request');
    expect(e.reason).toBe('invalidCombination');
    expect(e.details).toEqual([
      { field: 'instrumentIdentifier.id', reason: 'invalidCombination' },
      { field: 'instrumentIdentifier.card', reason: 'invalidCombination' },
    ]);
  });

  it('keeps a TMS conflict’s type', () => {
    const e = failureFor(
      answer(409, {
        errors: [
          {
            type: 'instrumentIdentifierDeletionError',
            message:
              'Action cannot be performed. The Instrument Identifier is associated with one or more Payment Instruments.',
          },
        ],
      }),
    );
    expect(e.code).toBe('gateway_conflict');
    expect(e.reason).toBe('instrumentIdentifierDeletionError');
  });

  it('keeps a Flex refusal’s reason and fields (API-FACTS §4)', () => {
    const e = failureFor(
      answer(400, {
        responseStatus: {
          status: 400,
          reason: 'VALIDATION_ERROR',
          message: 'Field validation error.',
          correlationId: 'c0ffee',
          details: [{ location: 'encryptionType', message: 'Invalid value' }],
        },
      }),
    );
    expect(e.reason).toBe('VALIDATION_ERROR');
    expect(e.details).toEqual([{ field: 'encryptionType', reason: 'Invalid value' }]);
  });

  it('keeps a Microform session refusal’s reason and fields (API-FACTS §5.1)', () => {
    const e = failureFor(
      answer(400, {
        correlationId: 'c0ffee',
        details: [{ location: 'targetOrigins', message: 'must be an https origin' }],
        informationLink: 'https://developer.cybersource.com',
        message: 'Validation error',
        reason: 'UNIFIEDPAYMENTS_VALIDATION_FIELDS',
      }),
    );
    expect(e.reason).toBe('UNIFIEDPAYMENTS_VALIDATION_FIELDS');
    expect(e.details).toEqual([{ field: 'targetOrigins', reason: 'must be an https origin' }]);
  });

  it('is the merchant’s encryption settings when TMS or Microform refuses the encrypted body', () => {
    const tms = failureFor(
      answer(400, {
        errors: [
          {
            type: 'invalidFields',
            message: 'Invalid values.',
            details: [{ name: 'encryptedRequest' }],
          },
        ],
      }),
    );
    expect(tms.code).toBe('gateway_encryption_refused');
    const microform = failureFor(
      answer(400, {
        details: [{ location: 'encryptedRequest', message: 'could not be decrypted' }],
        message: 'Validation error',
        reason: 'INVALID_DATA',
      }),
    );
    expect(microform.code).toBe('gateway_encryption_refused');
  });

  it('is a missing Token Management profile, not an error to retry, on TMS’s 424', () => {
    const e = failureFor(
      answer(424, { errors: [{ type: 'notFound', message: 'Profile not found' }] }),
    );
    expect(e.code).toBe('gateway_profile_not_found');
    expect(e.type).toBe('merchant');
    // Another 424 is a failure behind the service called, to try again.
    expect(failureFor(answer(424, {})).code).toBe('gateway_error');
    expect(
      failureFor(answer(424, { responseStatus: { reason: 'SYSTEM_ERROR', message: 'x' } })).code,
    ).toBe('gateway_error');
  });
});
