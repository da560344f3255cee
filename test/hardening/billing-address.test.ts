/**
 * CyberSource refusing a billing address field (400 INVALID_DATA on `orderInformation.billTo.*`,
 * for a value our own checks let through) is the shopper's 400 with a
 * stable code naming the field, never a 5xx, and the payment is recorded failed (nothing charged).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { failureFor } from '../../server-stub/cybersource/responses.ts';
import { findPayment } from '../../server-stub/store/payments.ts';
import { type HardeningHarness, hardeningHarness, SetupShopper } from './support.ts';

const REFUSAL = {
  submitTimeUtc: '2030-03-12T10:00:00Z',
  status: 'INVALID_REQUEST',
  reason: 'INVALID_DATA',
  message: 'Declined - One or more fields in the request contains invalid data',
  details: [{ field: 'orderInformation.billTo.administrativeArea', reason: 'INVALID_DATA' }],
};
const FIELD = [{ field: 'orderInformation.billTo.administrativeArea', reason: 'INVALID_DATA' }];

let refuse = false;
let h: HardeningHarness;
beforeAll(async () => {
  h = await hardeningHarness({
    wrapFetch: (f) => async (input, init) => {
      const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
      if (refuse && init?.method === 'POST' && new URL(url).pathname === '/pts/v2/payments') {
        refuse = false;
        return new Response(JSON.stringify(REFUSAL), {
          status: 400,
          headers: { 'content-type': 'application/json' },
        });
      }
      return f(input, init);
    },
  });
});
afterAll(() => h.close());

describe('billing address refused by CyberSource', () => {
  it('maps the canned 400 to gateway_invalid_request naming the field', () => {
    const e = failureFor({ status: 400, text: JSON.stringify(REFUSAL), headers: new Headers() });
    expect(e.status).toBe(400);
    expect(e.toBody()).toMatchObject({
      error: { code: 'gateway_invalid_request', reason: 'INVALID_DATA', details: FIELD },
    });
  });

  it('answers the shopper 400 with the field and records the payment failed', async () => {
    refuse = true;
    const r = await new SetupShopper(h).payNewCard(
      { id: 'tshirt' },
      {
        billTo: {
          firstName: 'Ada',
          lastName: 'L',
          address1: '1 Market St',
          locality: 'SF',
          // One our own check passes (a name like "California" is refused before CyberSource
          // now, `billing-required.test.ts`): CyberSource's refusal here is canned.
          administrativeArea: 'CA',
          postalCode: '94105',
          country: 'US',
        },
      },
    );
    expect(r.status).toBe(400);
    expect(r.body.error).toMatchObject({
      code: 'gateway_invalid_request',
      reason: 'INVALID_DATA',
      details: FIELD,
    });
    const [row] = (
      await h.stub.db.query(
        "SELECT id FROM payments WHERE decline_reason = 'INVALID_DATA' ORDER BY created_at DESC",
      )
    ).rows as { id: string }[];
    expect((await findPayment(h.stub.db, row?.id ?? ''))?.status).toBe('failed');
  });
});
