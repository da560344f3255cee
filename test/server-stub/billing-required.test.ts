/**
 * CHECKOUT_REQUIRE_BILLING_ADDRESS is enforced by the stub, not only shown by the widget: a
 * merchant whose processor wants the address (AVS) never sends a new card without it, whatever
 * script posts the payment. A saved card carries its vaulted address.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  BILL_TO,
  type Harness,
  harness,
  recordingHarness,
  Shopper,
  upstreamCalls,
} from './harness.ts';

let h: Harness;
beforeAll(async () => {
  h = await harness({ env: { CHECKOUT_REQUIRE_BILLING_ADDRESS: 'true' } });
});
afterAll(() => h.close());
beforeEach(() => h.emulator.state.reset());

const sales = async () =>
  (await upstreamCalls(h)).filter((c) => c.method === 'POST' && c.path === '/pts/v2/payments');

describe('a required billing address', () => {
  it('refuses a new card without it, naming the fields, before any sale', async () => {
    const r = await new Shopper(h).payNewCard({ id: 'tshirt' });
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe('invalid_request');
    // Each field the address needs, by name, as the README promises.
    expect(r.body.error.details.map((d: { field: string }) => d.field).sort()).toEqual([
      'billTo.address1',
      'billTo.country',
      'billTo.firstName',
      'billTo.lastName',
      'billTo.locality',
      'email',
    ]);
    const partial = await new Shopper(h).payNewCard(
      { id: 'tshirt' },
      { billTo: { ...BILL_TO, address1: undefined, locality: undefined } },
    );
    // The email too, in the same answer (BILL_TO carries none, and none is sent).
    expect(partial.body.error.details.map((d: { field: string }) => d.field).sort()).toEqual([
      'billTo.address1',
      'billTo.locality',
      'email',
    ]);
    // Most of it missing: still the address's fields, not the saved-card body's shape (the
    // state and postal code checks run once the fields every address needs are there).
    const sketch = await new Shopper(h).payNewCard(
      { id: 'tshirt' },
      { billTo: { firstName: 'Ada', country: 'US' } },
    );
    expect(sketch.body.error.details.map((d: { field: string }) => d.field).sort()).toEqual([
      'billTo.address1',
      'billTo.lastName',
      'billTo.locality',
      'email',
    ]);
    expect(await sales()).toEqual([]);
  });

  it('wants an email, and a state or province code for a US or Canadian address', async () => {
    const fields = async (extra: Record<string, unknown>) =>
      (await new Shopper(h).payNewCard({ id: 'tshirt' }, extra)).body.error?.details?.map(
        (d: { field: string }) => d.field,
      );
    expect(await fields({ billTo: BILL_TO })).toEqual(['email']);
    const email = { email: 'ada@example.com' };
    const us = { ...BILL_TO, administrativeArea: undefined, postalCode: undefined };
    expect(await fields({ ...email, billTo: us })).toEqual([
      'billTo.administrativeArea',
      'billTo.postalCode',
    ]);
    const ca = { ...BILL_TO, country: 'CA', postalCode: 'M5V 2T6' };
    expect(await fields({ ...email, billTo: { ...ca, administrativeArea: undefined } })).toEqual([
      'billTo.administrativeArea',
    ]);
    // "CA" is California, not a Canadian province.
    expect(await fields({ ...email, billTo: ca })).toEqual(['billTo.administrativeArea']);
    // Elsewhere both are optional, and the email may come inside billTo.
    const gb = { ...us, country: 'GB', email: 'ada@example.com' };
    expect((await new Shopper(h).payNewCard({ id: 'tshirt' }, { billTo: gb })).status).toBe(201);
    expect(await sales()).toHaveLength(1);
  });

  it('pays a new card with it, and a saved card without sending it again', async () => {
    const s = new Shopper(h);
    const first = await s.payNewCard(
      { id: 'tshirt' },
      { billTo: BILL_TO, email: 'ada@example.com', savePaymentMethod: true },
    );
    expect(first.status).toBe(201);
    const again = await s.request('POST', '/api/checkout/payments', {
      paymentMethodId: first.body.paymentMethodId,
      item: { id: 'tshirt' },
    });
    expect(again.status).toBe(201);
    expect(await sales()).toHaveLength(2);
  });
});

describe("a payment's own contact limits (SPEC2020 orderInformation.billTo)", () => {
  it('refuses a phone number over 15 characters or an email over 255 before any sale, and pays the same token once both fit', async () => {
    const s = new Shopper(h);
    const body = await s.newCardBody({ id: 'tshirt' });
    const pay = (billTo: Record<string, unknown>) =>
      s.request('POST', '/api/checkout/payments', { ...body, billTo });
    // A common way to type a US number: 17 characters, where TMS would take 32.
    const phone = await pay({
      ...BILL_TO,
      email: 'ada@example.com',
      phoneNumber: '+1 (415) 888-0000',
    });
    const email = await pay({ ...BILL_TO, email: `${'a'.repeat(244)}@example.com` });
    for (const r of [phone, email]) {
      expect([r.status, r.body.error.code]).toEqual([400, 'invalid_request']);
    }
    expect(phone.body.error.details.map((d: { field: string }) => d.field)).toEqual([
      'billTo.phoneNumber',
    ]);
    expect(email.body.error.details.map((d: { field: string }) => d.field)).toEqual([
      'billTo.email',
    ]);
    expect(await sales()).toHaveLength(0);
    const paid = await pay({ ...BILL_TO, phoneNumber: '415-888-0000', email: 'ada@example.com' });
    expect(paid.status).toBe(201);
    expect(await sales()).toHaveLength(1);
  });
});

describe('against an account without relaxed requirements for address data', () => {
  it('pays with the address the stub asks for, and is refused MISSING_FIELD without it', async () => {
    const account = { relaxedAddress: false };
    const asking = await harness({ env: { CHECKOUT_REQUIRE_BILLING_ADDRESS: 'true' }, account });
    const notAsking = await harness({ account });
    try {
      const paid = await new Shopper(asking).payNewCard(
        { id: 'tshirt' },
        { billTo: BILL_TO, email: 'ada@example.com' },
      );
      expect(paid.status).toBe(201);
      // What CHECKOUT_REQUIRE_BILLING_ADDRESS=false costs there: CyberSource refuses the sale.
      const refused = await new Shopper(notAsking).payNewCard({ id: 'tshirt' });
      expect([refused.status, refused.body.error.code, refused.body.error.reason]).toEqual([
        400,
        'gateway_invalid_request',
        'MISSING_FIELD',
      ]);
    } finally {
      await asking.close();
      await notAsking.close();
    }
  });
});

describe('a US or Canadian postal code', () => {
  it('is our 400 when CyberSource documents another spelling, before any sale (the token stays unspent)', async () => {
    const shopper = new Shopper(h);
    for (const [country, area, postalCode] of [
      ['US', 'CA', '9410'],
      ['US', 'CA', 'ABCDE'],
      ['CA', 'ON', '12345'],
    ] as const) {
      const r = await shopper.payNewCard(
        { id: 'tshirt' },
        {
          email: 'ada@example.com',
          billTo: { ...BILL_TO, country, administrativeArea: area, postalCode },
        },
      );
      expect([r.status, r.body.error.code], postalCode).toEqual([400, 'invalid_request']);
      expect(r.body.error.details.map((d: { field: string }) => d.field)).toEqual([
        'billTo.postalCode',
      ]);
    }
    expect(await sales()).toEqual([]);
  });

  it('a field of spaces is as empty as none: our 400 naming it, before any sale', async () => {
    const r = await new Shopper(h).payNewCard(
      { id: 'tshirt' },
      { email: 'ada@example.com', billTo: { ...BILL_TO, firstName: '   ', locality: ' \t' } },
    );
    expect([r.status, r.body.error.code]).toEqual([400, 'invalid_request']);
    expect(r.body.error.details.map((d: { field: string }) => d.field)).toEqual([
      'billTo.firstName',
      'billTo.locality',
    ]);
    expect(await sales()).toEqual([]);
  });

  it('an unknown key stays refused, "__proto__" too', async () => {
    const shopper = new Shopper(h);
    const body = await shopper.newCardBody({ id: 'tshirt' });
    const r = await shopper.request(
      'POST',
      '/api/checkout/payments',
      JSON.parse(
        JSON.stringify({ ...body, email: 'ada@example.com', billTo: BILL_TO }).replace(
          '"firstName"',
          '"__proto__":{"x":1},"firstName"',
        ),
      ),
    );
    expect([r.status, r.body.error.code]).toEqual([400, 'invalid_request']);
    expect(await sales()).toEqual([]);
  });

  it('is sent the documented way when it can only be read one way: k1a0b1 is K1A 0B1', async () => {
    const { h: recording, sales: sent } = await recordingHarness();
    try {
      const r = await new Shopper(recording).payNewCard(
        { id: 'tshirt' },
        {
          email: 'ada@example.com',
          billTo: { ...BILL_TO, country: 'CA', administrativeArea: 'ON', postalCode: ' k1a0b1 ' },
        },
      );
      expect(r.status).toBe(201);
      expect(sent).toHaveLength(1);
      expect(sent[0]?.orderInformation?.billTo).toMatchObject({
        country: 'CA',
        postalCode: 'K1A 0B1',
      });
    } finally {
      await recording.close();
    }
  });
});

describe('an address sent when none is required', () => {
  it('is checked the same: a bad US state is our 400, before any sale', async () => {
    const lax = await harness();
    try {
      const r = await new Shopper(lax).payNewCard(
        { id: 'tshirt' },
        { billTo: { ...BILL_TO, administrativeArea: 'ZZ' } },
      );
      expect([r.status, r.body.error.code]).toEqual([400, 'invalid_request']);
      expect(r.body.error.details.map((d: { field: string }) => d.field)).toEqual([
        'billTo.administrativeArea',
      ]);
      const sent = (await upstreamCalls(lax)).filter((c) => c.path === '/pts/v2/payments');
      expect(sent).toEqual([]);
    } finally {
      await lax.close();
    }
  });
});
