import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningEmulator, startEmulator } from '../../../emulator/server.ts';
import { type Caller, cybersourceCaller } from '../../helpers/cybersource-request.ts';
import { amount, cardPayment } from './setup.ts';

let emulator: RunningEmulator;
let call: Caller;

beforeAll(async () => {
  emulator = await startEmulator();
  const raw = cybersourceCaller(fetch, emulator.url);
  // fetch sends the URL's host; an HTTP signature must sign that host (JWT names it in a claim).
  const host = new URL(emulator.url).host;
  call = (path, o = {}) => raw(path, { host, ...o });
});
afterAll(() => emulator.close());

describe('payments over a real socket', () => {
  it('sale → partial refund → transaction details, signed like the SDK', async () => {
    const sale = await call('/pts/v2/payments', {
      body: cardPayment({ capture: true, amount: '40.00' }),
    });
    expect(sale.status).toBe(201);
    expect(sale.headers.get('content-type')).toBe('application/hal+json');
    expect(sale.headers.get('v-c-correlation-id')).toBeTruthy();
    const refund = await call(`/pts/v2/payments/${sale.body.id}/refunds`, {
      body: amount('15.00'),
    });
    expect(refund.status).toBe(201);
    const details = await call(`/tss/v2/transactions/${sale.body.id}`);
    expect(details.body.orderInformation.amountDetails.refundBalance).toBe('25.00');
  });

  it('authorization → capture → void of the capture, with JWT auth', async () => {
    const auth = await call('/pts/v2/payments', {
      body: cardPayment({ amount: '12.34' }),
      auth: 'jwt',
      host: 'apitest.cybersource.com',
    });
    expect(auth.body.status).toBe('AUTHORIZED');
    const cap = await call(`/pts/v2/payments/${auth.body.id}/captures`, {
      body: amount('12.34'),
      auth: 'jwt',
    });
    expect(cap.status).toBe(201);
    const v = await call(`/pts/v2/captures/${cap.body.id}/voids`, { body: {}, auth: 'jwt' });
    expect(v.body.status).toBe('VOIDED');
  });
});
