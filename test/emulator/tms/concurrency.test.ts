/**
 * A handler that looks a token up, awaits the body, then writes can write to a token deleted in
 * between. Every TMS handler parses its body first, then looks up and writes in one synchronous
 * stretch (as `emulator/payments/capture-refund.ts` does). These tests hold a request body open
 * while another request deletes the token, then let the body finish.
 */
import { Hono } from 'hono';
import { beforeEach, describe, expect, it } from 'vitest';
import { defaultConfig } from '../../../emulator/config.ts';
import type { EmulatorEnv } from '../../../emulator/http/env.ts';
import { EmulatorState } from '../../../emulator/state.ts';
import { tmsRoutes } from '../../../emulator/tms/routes.ts';

const MERCHANT = 'racer';
const state = new EmulatorState();
const app = new Hono<EmulatorEnv>();
app.use('*', async (c, next) => {
  c.set('merchantId', MERCHANT); // authentication is not under test here
  await next();
});
app.route(
  '/',
  tmsRoutes({ state, config: defaultConfig(), keys: () => Promise.reject(new Error('no keys')) }),
);
const tms = state.tms;

const send = (method: string, path: string, body?: unknown) =>
  app.request(path, {
    method,
    ...(body === undefined
      ? {}
      : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
  });

/** Starts a request whose body arrives only when `finish()` is called. */
function slowRequest(method: string, path: string, body: unknown) {
  let finish!: () => void;
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      finish = () => {
        controller.enqueue(new TextEncoder().encode(JSON.stringify(body)));
        controller.close();
      };
    },
  });
  const answer = app.request(path, {
    method,
    body: stream,
    headers: { 'content-type': 'application/json' },
    // @ts-expect-error Node's fetch needs `duplex` for a stream body; the DOM types lack it
    duplex: 'half',
  });
  return { answer, finish };
}

const tick = () => new Promise((r) => setTimeout(r, 5));

async function setupCustomerWithInstrument() {
  const ii = (await (
    await send('POST', '/tms/v1/instrumentidentifiers', { card: { number: '4111111111111111' } })
  ).json()) as { id: string };
  const cust = (await (await send('POST', '/tms/v2/customers', {})).json()) as { id: string };
  const pi = (await (
    await send('POST', `/tms/v2/customers/${cust.id}/payment-instruments`, {
      card: { expirationMonth: '12', expirationYear: '2031', type: '001' },
      instrumentIdentifier: { id: ii.id },
    })
  ).json()) as { id: string };
  return { iiId: ii.id, customerId: cust.id, piId: pi.id };
}

describe('TMS writes racing a delete (parse first, then look up and write)', () => {
  beforeEach(() => state.reset());

  it('POST customer payment instrument: the customer deleted meanwhile → 410, no orphan', async () => {
    const { iiId, customerId } = await setupCustomerWithInstrument();
    const slow = slowRequest('POST', `/tms/v2/customers/${customerId}/payment-instruments`, {
      card: { expirationMonth: '12', expirationYear: '2031', type: '001' },
      instrumentIdentifier: { id: iiId },
    });
    await tick();
    expect((await send('DELETE', `/tms/v2/customers/${customerId}`)).status).toBe(204);
    slow.finish();
    expect((await slow.answer).status).toBe(410);
    const orphans = [...tms.paymentInstruments.values()].filter(
      (pi) => pi.customerId !== undefined && !tms.customers.has(pi.customerId),
    );
    expect(orphans).toEqual([]);
  });

  it.each([
    [
      'customer payment instrument',
      (ids: Ids) => `/tms/v2/customers/${ids.customerId}/payment-instruments/${ids.piId}`,
      { card: { expirationMonth: '11' } },
    ],
    [
      'customer',
      (ids: Ids) => `/tms/v2/customers/${ids.customerId}`,
      { buyerInformation: { email: 'late@example.com' } },
    ],
  ])('PATCH %s deleted meanwhile → 410', async (_, pathOf, body) => {
    const ids = await setupCustomerWithInstrument();
    const slow = slowRequest('PATCH', pathOf(ids), body);
    await tick();
    expect((await send('DELETE', `/tms/v2/customers/${ids.customerId}`)).status).toBe(204);
    slow.finish();
    expect((await slow.answer).status).toBe(410);
  });

  it('PATCH stand-alone payment instrument deleted meanwhile → 410', async () => {
    const { iiId } = await setupCustomerWithInstrument();
    const created = await send('POST', '/tms/v1/paymentinstruments', {
      card: { expirationMonth: '12', expirationYear: '2031', type: '001' },
      instrumentIdentifier: { id: iiId },
    });
    const { id } = (await created.json()) as { id: string };
    const slow = slowRequest('PATCH', `/tms/v1/paymentinstruments/${id}`, {
      card: { expirationMonth: '11' },
    });
    await tick();
    expect((await send('DELETE', `/tms/v1/paymentinstruments/${id}`)).status).toBe(204);
    slow.finish();
    expect((await slow.answer).status).toBe(410);
  });

  it('PATCH instrument identifier deleted meanwhile → 410', async () => {
    const ii = (await (
      await send('POST', '/tms/v1/instrumentidentifiers', { card: { number: '5555555555554444' } })
    ).json()) as { id: string };
    const slow = slowRequest('PATCH', `/tms/v1/instrumentidentifiers/${ii.id}`, {
      processingInformation: {
        authorizationOptions: {
          initiator: { merchantInitiatedTransaction: { previousTransactionId: '123456789012345' } },
        },
      },
    });
    await tick();
    expect((await send('DELETE', `/tms/v1/instrumentidentifiers/${ii.id}`)).status).toBe(204);
    slow.finish();
    expect((await slow.answer).status).toBe(410);
  });
});

type Ids = { iiId: string; customerId: string; piId: string };
