/**
 * Test harness for the TMS endpoints: an in-process emulator that knows two merchants, a signed
 * caller per merchant, and a guard that fails the test if any answer shows a full card number.
 */
import { expect } from 'vitest';
import type { SigningKey } from '../../../cybersource/auth/index.ts';
import { createEmulator } from '../../../emulator/app.ts';
import { SAMPLE_MERCHANT } from '../../../emulator/config.ts';
import { inProcessFetch } from '../../../emulator/in-process.ts';
import { type CallOptions, cybersourceCaller } from '../../helpers/cybersource-request.ts';

export const OTHER_MERCHANT: SigningKey = {
  merchantId: 'othermerchant',
  keyId: '6f1c2d0e-8a7b-4c3d-9e2f-0a1b2c3d4e5f',
  secretBase64: Buffer.from('another merchant secret, 32 byte').toString('base64'),
};

/** Luhn-valid test cards (API-FACTS §6) used across the TMS suites. */
export const CARDS = {
  visa: '4111111111111111',
  mastercard: '5555555555554444',
  amex: '378282246310005',
  discover: '6011111111111117',
} as const;

export type TmsCall = (
  path: string,
  options?: CallOptions,
) => Promise<{ status: number; body: any; text: string; headers: Headers }>;

export function tmsHarness() {
  const emulator = createEmulator({ config: { keys: [SAMPLE_MERCHANT, OTHER_MERCHANT] } });
  const raw = cybersourceCaller(inProcessFetch(emulator));
  const guarded =
    (key: SigningKey): TmsCall =>
    async (path, options = {}) => {
      const res = await raw(path, { ...options, key });
      for (const pan of Object.values(CARDS)) expect(res.text).not.toContain(pan);
      return res;
    };
  return {
    emulator,
    call: guarded(SAMPLE_MERCHANT),
    other: guarded(OTHER_MERCHANT),
    reset: () => emulator.state.reset(),
  };
}

/** Creates an instrument identifier for `number` and returns its id. */
export async function instrumentIdentifier(call: TmsCall, number: string): Promise<string> {
  const r = await call('/tms/v1/instrumentidentifiers', { body: { card: { number } } });
  expect([200, 201]).toContain(r.status);
  return r.body.id;
}

export async function customer(call: TmsCall, email = 'shopper@example.com'): Promise<string> {
  const r = await call('/tms/v2/customers', { body: { buyerInformation: { email } } });
  expect(r.status).toBe(201);
  return r.body.id;
}

export async function customerInstrument(
  call: TmsCall,
  customerId: string,
  number: string,
  extra: Record<string, unknown> = {},
): Promise<string> {
  const iiId = await instrumentIdentifier(call, number);
  const r = await call(`/tms/v2/customers/${customerId}/payment-instruments`, {
    body: {
      card: { expirationMonth: '12', expirationYear: '2031', type: '001' },
      instrumentIdentifier: { id: iiId },
      ...extra,
    },
  });
  expect(r.status).toBe(201);
  return r.body.id;
}
