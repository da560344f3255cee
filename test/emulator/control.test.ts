import { beforeEach, describe, expect, it, vi } from 'vitest';
import { createEmulator } from '../../emulator/app.ts';
import { inProcessFetch } from '../../emulator/in-process.ts';
import { cybersourceCaller } from '../helpers/cybersource-request.ts';

const emulator = createEmulator();
const fetchFn = inProcessFetch(emulator);
const call = cybersourceCaller(fetchFn);
const control = (path: string, init?: RequestInit) =>
  fetchFn(`http://localhost:4010/__emulator${path}`, init);

describe('control API', () => {
  beforeEach(() => emulator.state.reset());

  it('logs REST requests oldest first and forgets them on reset', async () => {
    await call('/tss/v2/transactions/1');
    await call('/tss/v2/transactions/2', { auth: 'none' });
    const log = await (await control('/requests')).json();
    expect(log.requests.map((r: { path: string; status: number }) => [r.path, r.status])).toEqual([
      ['/tss/v2/transactions/1', 404],
      ['/tss/v2/transactions/2', 401],
    ]);
    expect((await control('/reset', { method: 'POST' })).status).toBe(204);
    expect((await (await control('/requests')).json()).requests).toEqual([]);
  });

  it('answers 401 with CyberSource body for an unsigned request', async () => {
    const r = await call('/pts/v2/payments', { auth: 'none', body: {} });
    expect(r.status).toBe(401);
    expect(r.body).toEqual({ response: { rmsg: 'Authentication Failed' } });
  });

  it('fires a 502 fault the given number of times', async () => {
    const created = await control('/faults', {
      method: 'POST',
      body: JSON.stringify({ method: 'GET', path: '/tss/', fault: '502', times: 1 }),
    });
    expect(created.status).toBe(201);
    expect((await call('/tss/v2/transactions/1')).status).toBe(502);
    expect((await call('/tss/v2/transactions/1')).status).toBe(404);
  });

  it('turns a reset fault into a network error', async () => {
    await control('/faults', {
      method: 'POST',
      body: JSON.stringify({ method: 'GET', path: '/tss/v2', fault: 'reset' }),
    });
    await expect(call('/tss/v2/transactions/1')).rejects.toThrow(TypeError);
  });

  it('holds a timeout fault until the client gives up', async () => {
    await control('/faults', {
      method: 'POST',
      body: JSON.stringify({ method: 'GET', path: '/tss/v2', fault: 'timeout' }),
    });
    const res = call('/tss/v2/transactions/1', { signal: AbortSignal.timeout(50) });
    await expect(res).rejects.toThrow();
  });

  it('rejects a malformed fault with 400', async () => {
    const r = await control('/faults', {
      method: 'POST',
      body: JSON.stringify({ method: 'GET', path: 'x', fault: 'boom' }),
    });
    expect(r.status).toBe(400);
  });

  it('refuses a browser page of another origin, which could reset the sandbox or break its sales', async () => {
    const fault = JSON.stringify({ method: 'POST', path: '/pts/', fault: '502', times: 9 });
    // What a page on another localhost port sends with fetch(…, {mode: 'no-cors'}): no
    // preflight, text/plain, its origin named.
    for (const headers of [
      { origin: 'http://localhost:3000', 'content-type': 'text/plain' },
      { origin: 'null' },
      { 'sec-fetch-site': 'same-site' },
      { 'sec-fetch-site': 'cross-site' },
    ]) {
      const r = await control('/faults', { method: 'POST', headers, body: fault });
      expect(r.status).toBe(403);
      expect((await r.json()).error.code).toBe('forbidden');
      expect((await control('/reset', { method: 'POST', headers })).status).toBe(403);
    }
    expect(emulator.state.faults.take('POST', '/pts/v2/payments')).toBeUndefined();
    // Its own pages, and scripts (which name no origin), are served.
    const own = { origin: 'http://localhost:4010', 'sec-fetch-site': 'same-origin' };
    expect((await control('/faults', { method: 'POST', headers: own, body: fault })).status).toBe(
      201,
    );
    expect(emulator.state.faults.take('POST', '/pts/v2/payments')).toBeDefined();
  });

  it('answers every REST request the injected latency after it arrived', async () => {
    expect(
      (await control('/latency', { method: 'PUT', body: JSON.stringify({ ms: 30 }) })).status,
    ).toBe(204);
    // A fake clock instead of a stopwatch: processing takes no fake time, so the answer must
    // wait for the whole 30 ms, no longer.
    vi.useFakeTimers({ toFake: ['setTimeout', 'performance'] });
    try {
      let answered = false;
      const pending = call('/tss/v2/transactions/1').then((r) => {
        answered = true;
        return r;
      });
      await vi.advanceTimersByTimeAsync(29);
      expect(answered).toBe(false);
      // Acted on at arrival, its answer held back (a slow link, not a slow queue).
      expect(emulator.state.requests.list().map((r) => r.path)).toEqual(['/tss/v2/transactions/1']);
      await vi.advanceTimersByTimeAsync(1);
      expect((await pending).status).toBe(404);
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('faults meet only requests the service would accept', () => {
  beforeEach(() => emulator.state.reset());

  const sale = {
    clientReferenceInformation: { code: 'fault-test' },
    processingInformation: { capture: true },
    paymentInformation: {
      card: {
        number: '4111111111111111',
        expirationMonth: '12',
        expirationYear: '2031',
        securityCode: '123',
      },
    },
    orderInformation: { amountDetails: { totalAmount: '10.00', currency: 'USD' } },
  };
  const arm = (spec: object) =>
    control('/faults', { method: 'POST', body: JSON.stringify(spec) }).then((r) => r.status);

  it('lets a refused request through untouched and keeps the fault armed', async () => {
    expect(
      await arm({ method: 'POST', path: '/pts/v2/payments', fault: '502', processed: true }),
    ).toBe(201);
    expect((await call('/pts/v2/payments', { body: sale, auth: 'none' })).status).toBe(401);
    expect((await call('/pts/v2/payments', { body: sale })).status).toBe(502);
    expect(emulator.state.payments.transactions.size).toBe(1);
  });

  it('answers a 502 without processing unless told processed', async () => {
    expect(await arm({ method: 'POST', path: '/pts/v2/payments', fault: '502' })).toBe(201);
    const r = await call('/pts/v2/payments', { body: sale });
    expect(r.status).toBe(502);
    expect(r.body.status).toBe('SERVER_ERROR');
    expect(emulator.state.payments.transactions.size).toBe(0);
  });

  it('fires only on its method: a GET under its path passes and the next POST takes it', async () => {
    const paid = await call('/pts/v2/payments', { body: sale });
    expect(paid.status).toBe(201);
    expect(await arm({ method: 'POST', path: '/pts/v2/payments', fault: '502' })).toBe(201);
    const read = await call(`/pts/v2/payments/${paid.body.id}`);
    expect(read.status).toBe(200);
    expect(read.body.id).toBe(paid.body.id);
    expect((await call('/pts/v2/payments', { body: sale })).status).toBe(502);
    expect(emulator.state.payments.transactions.size).toBe(1);
  });

  it('drops the connection before processing with processed:false', async () => {
    expect(
      await arm({ method: 'POST', path: '/pts/v2/payments', fault: 'reset', processed: false }),
    ).toBe(201);
    await expect(call('/pts/v2/payments', { body: sale })).rejects.toThrow(TypeError);
    expect(emulator.state.payments.transactions.size).toBe(0);
    const log = await (await control('/requests')).json();
    expect(log.requests.at(-1)).toMatchObject({
      path: '/pts/v2/payments',
      status: 0,
      fault: 'reset',
    });
  });

  it('refuses an unprocessed slow answer', async () => {
    expect(await arm({ method: 'GET', path: '/tss/', fault: 'slow', processed: false })).toBe(400);
  });
});
