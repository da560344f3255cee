/**
 * The reconciler's state machine on its own (RELIABILITY-FACTS §3.6): it waits the configured
 * time before touching an unknown payment, looks it up before anything else, cancels by
 * `transactionId` when the lookup cannot help, keeps a payment unknown while the cancel gets no
 * answer, and never sends a second sale.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../../server-stub/config/env.ts';
import { reconcileSettingsFromEnv } from '../../server-stub/reconcile/settings.ts';
import { findPayment } from '../../server-stub/store/payments.ts';
import { insertSession } from '../../server-stub/store/sessions.ts';
import { ensureShopper, findShopper } from '../../server-stub/store/shoppers.ts';
import {
  armFault,
  editAnswers,
  type HardeningHarness,
  hardeningHarness,
  SetupShopper,
} from './support.ts';

let h: HardeningHarness;
beforeAll(async () => {
  h = await hardeningHarness();
});
afterAll(() => h.close());
beforeEach(() => h.emulator.state.faults.clear());

/**
 * The calls made since `from`, less the Flex v1 key a checkout session asks for in the
 * background: on a loaded machine it can reach the emulator after the session has answered.
 */
const since = (from: number) =>
  h.emulator.state.requests
    .list()
    .slice(from)
    .map((r) => `${r.method} ${r.path}`)
    .filter((call) => call !== 'POST /flex/v1/keys');

/** A donation whose amount hits an emulator trigger: 2000.00 = 502 but recorded, 2001.00 = 502. */
async function unknownPayment(amount: number) {
  const r = await new SetupShopper(h).payNewCard({ id: 'donation', amount });
  expect(r.status).toBe(202);
  expect(r.body.error.code).toBe('payment_outcome_unknown');
  return String(r.body.payment.id);
}

describe('reconciler', () => {
  it('waits RECONCILE_AFTER_SECONDS before looking anything up', async () => {
    const id = await unknownPayment(200_000);
    const from = h.emulator.state.requests.list().length;
    h.clock.advance(59_000);
    await h.stub.reconciler.runOnce();
    expect(since(from)).toEqual([]);
    expect((await findPayment(h.stub.db, id))?.status).toBe('unknown');
    h.clock.advance(2_000);
    await h.stub.reconciler.runOnce();
    expect((await findPayment(h.stub.db, id))?.status).toBe('succeeded');
  });

  it('records a sale the 502 hid (found by lookup), without voiding or resending it', async () => {
    const id = await unknownPayment(200_000);
    const from = h.emulator.state.requests.list().length;
    h.clock.advance(61_000);
    await h.stub.reconciler.runOnce();
    const row = await findPayment(h.stub.db, id);
    expect(row?.status).toBe('succeeded');
    expect(row?.cybersource_id).toMatch(/^\d{22}$/);
    const calls = since(from);
    expect(calls[0]).toBe('POST /tss/v2/searches');
    expect(calls.filter((c) => c.startsWith('POST /pts/'))).toEqual([]);
  });

  it('voids by transactionId when nothing is found, and marks the payment not processed', async () => {
    const id = await unknownPayment(200_100);
    const from = h.emulator.state.requests.list().length;
    h.clock.advance(61_000);
    await h.stub.reconciler.runOnce();
    const row = await findPayment(h.stub.db, id);
    expect(row).toMatchObject({ status: 'failed', decline_reason: 'NOT_PROCESSED' });
    expect(since(from)).toEqual(['POST /tss/v2/searches', 'POST /pts/v2/voids']);
  });

  it('calls a payment not processed only once a search has found nothing too', async () => {
    const id = await unknownPayment(200_100); // never recorded by CyberSource
    h.clock.advance(61_000);
    await armFault(h, { method: 'POST', path: '/tss/v2/searches', fault: '502', times: 1 });
    const from = h.emulator.state.requests.list().length;
    await h.stub.reconciler.runOnce();
    // The void says "no such transaction", but the search failed: not final (failed would free
    // a renewal's period for another charge).
    expect(since(from)).toEqual(['POST /tss/v2/searches', 'POST /pts/v2/voids']);
    expect((await findPayment(h.stub.db, id))?.status).toBe('unknown');
    // Left unknown, it waits RECONCILE_AFTER_SECONDS again: no void every pass.
    await h.stub.reconciler.runOnce();
    expect(since(from)).toHaveLength(2);
    h.clock.advance(61_000);
    await h.stub.reconciler.runOnce();
    expect(await findPayment(h.stub.db, id)).toMatchObject({
      status: 'failed',
      decline_reason: 'NOT_PROCESSED',
    });
  });

  it('voids a sale it cannot look up, and stays unknown while the void gets no answer', async () => {
    const id = await unknownPayment(200_000); // recorded by CyberSource
    h.clock.advance(61_000);
    await armFault(h, { method: 'POST', path: '/tss/v2/searches', fault: '502', times: 2 });
    await armFault(h, { method: 'POST', path: '/pts/v2/voids', fault: '502' });
    await h.stub.reconciler.runOnce();
    expect((await findPayment(h.stub.db, id))?.status).toBe('unknown');
    h.clock.advance(61_000);
    await h.stub.reconciler.runOnce();
    const row = await findPayment(h.stub.db, id);
    expect(row).toMatchObject({ status: 'failed', decline_reason: 'TIMEOUT_VOIDED' });
    const [sale] = h.emulator.state.payments
      .all(h.stub.config.merchantId)
      .filter((t) => t.kind === 'payment' && t.clientReference.code === id);
    expect(sale?.kind === 'payment' && sale.voidedBy).toBeTruthy();
  });

  it('expires answered keys after 24 hours and forgets spent tokens after a day, and nothing sooner', async () => {
    const shopper = new SetupShopper(h);
    const body = await shopper.newCardBody({ id: 'tshirt' });
    const key = { 'idempotency-key': 'expired-after-a-day' };
    expect((await shopper.request('POST', '/api/checkout/payments', body, key)).status).toBe(201);
    const rows = async () => {
      const keys = await h.stub.db.query(
        `SELECT status FROM idempotency_keys WHERE key = 'expired-after-a-day'`,
      );
      const tokens = await h.stub.db.query(
        'SELECT 1 FROM used_transient_tokens WHERE session_id = $1',
        [body.sessionId],
      );
      return { keys: keys.rows, tokens: tokens.rows.length };
    };
    h.clock.advance(23 * 3600_000);
    await h.stub.reconciler.runOnce();
    expect(await rows()).toEqual({ keys: [{ status: 'done' }], tokens: 1 });
    const replay = await shopper.request('POST', '/api/checkout/payments', body, key);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    h.clock.advance(2 * 3600_000);
    await h.stub.reconciler.runOnce();
    expect(await rows()).toEqual({ keys: [{ status: 'expired' }], tokens: 0 });
    // The key never runs again as a new request: a second charge for one attempt.
    const sales = h.emulator.state.requests.list().filter((r) => r.path === '/pts/v2/payments');
    const late = await shopper.request('POST', '/api/checkout/payments', body, key);
    expect([late.status, late.body.error.code]).toEqual([422, 'idempotency_key_expired']);
    expect(
      h.emulator.state.requests.list().filter((r) => r.path === '/pts/v2/payments'),
    ).toHaveLength(sales.length);
  });

  it("forgets a checkout session's key a day on, leaving no tombstone: a reuse starts a new session", async () => {
    const shopper = new SetupShopper(h);
    const key = { 'idempotency-key': 'session-forgotten-after-a-day' };
    const first = await shopper.request('POST', '/api/checkout/sessions', {}, key);
    expect(first.status).toBe(201);
    const row = async () =>
      (
        await h.stub.db.query(
          `SELECT status FROM idempotency_keys WHERE key = 'session-forgotten-after-a-day'`,
        )
      ).rows;
    h.clock.advance(23 * 3600_000);
    await h.stub.reconciler.runOnce();
    const replay = await shopper.request('POST', '/api/checkout/sessions', {}, key);
    expect([replay.headers.get('idempotent-replayed'), replay.body.sessionId]).toEqual([
      'true',
      first.body.sessionId,
    ]);
    h.clock.advance(2 * 3600_000);
    await h.stub.reconciler.runOnce();
    // No tombstone: one per page view was most of the table's growth.
    expect(await row()).toEqual([]);
    const later = await shopper.request('POST', '/api/checkout/sessions', {}, key);
    expect(later.status).toBe(201);
    expect(later.headers.get('idempotent-replayed')).toBeNull();
    expect(later.body.sessionId).not.toBe(first.body.sessionId);
  });

  it('forgets checkout sessions a day after they expired, paid or not, and keeps the rest', async () => {
    const shopper = new SetupShopper(h);
    const body = await shopper.newCardBody({ id: 'tshirt' });
    expect((await shopper.request('POST', '/api/checkout/payments', body)).status).toBe(201);
    // A page view that paid nothing: most sessions are these.
    const viewed = (await shopper.session()).sessionId;
    const kept = async () => {
      const r = await h.stub.db.query(
        'SELECT id FROM checkout_sessions WHERE id = ANY($1) ORDER BY id',
        [[body.sessionId, viewed].sort()],
      );
      return r.rows.map((row) => (row as { id: string }).id);
    };
    // Expired (15 minutes) but not yet a day ago: kept.
    h.clock.advance(15 * 60_000 + 23 * 3600_000);
    await h.stub.reconciler.runOnce();
    expect(await kept()).toEqual([body.sessionId, viewed].sort());
    h.clock.advance(2 * 3600_000);
    // A session started now is not touched by the pass that forgets the old ones.
    const fresh = (await shopper.session()).sessionId;
    const report = await h.stub.reconciler.runOnce();
    expect(await kept()).toEqual([]);
    expect(report.forgotten).toBeGreaterThanOrEqual(3); // two sessions and the spent token
    expect(
      (await h.stub.db.query('SELECT 1 FROM checkout_sessions WHERE id = $1', [fresh])).rows,
    ).toHaveLength(1);
    // The payment keeps its record (and its session id) for the merchant.
    const payments = await h.stub.db.query('SELECT status FROM payments WHERE session_id = $1', [
      body.sessionId,
    ]);
    expect(payments.rows).toEqual([{ status: 'succeeded' }]);
  });

  it('forgets a shopper row that holds nothing once its sessions are gone, and keeps the rest', async () => {
    const shopperOf = async (sessionId: string) => {
      const r = await h.stub.db.query('SELECT shopper_id FROM checkout_sessions WHERE id = $1', [
        sessionId,
      ]);
      return String((r.rows[0] as { shopper_id: string }).shopper_id);
    };
    const exists = async (id: string) =>
      (await h.stub.db.query('SELECT 1 FROM shoppers WHERE id = $1', [id])).rows.length === 1;
    // A page view, a guest who paid and kept nothing, a shopper who kept a card.
    const visitor = new SetupShopper(h);
    const visitorId = await shopperOf((await visitor.session()).sessionId);
    const guest = new SetupShopper(h);
    const guestBody = await guest.newCardBody({ id: 'tshirt' });
    expect((await guest.request('POST', '/api/checkout/payments', guestBody)).status).toBe(201);
    const guestId = await shopperOf(guestBody.sessionId);
    const saver = new SetupShopper(h);
    const saverBody = await saver.newCardBody({ id: 'tshirt' });
    const saved = { ...saverBody, savePaymentMethod: true };
    expect((await saver.request('POST', '/api/checkout/payments', saved)).status).toBe(201);
    const saverId = await shopperOf(saverBody.sessionId);
    // Their sessions are still remembered (expired, but not a day ago): every row stays.
    h.clock.advance(16 * 60_000);
    await h.stub.reconciler.runOnce();
    expect(await Promise.all([visitorId, guestId, saverId].map(exists))).toEqual([
      true,
      true,
      true,
    ]);
    h.clock.advance(25 * 3600_000);
    await h.stub.reconciler.runOnce();
    expect(await Promise.all([visitorId, guestId, saverId].map(exists))).toEqual([
      false,
      false,
      true,
    ]);
    // The guest's payment keeps its shopper for the merchant; the saver still has their card.
    const paid = await h.stub.db.query('SELECT shopper_id FROM payments WHERE session_id = $1', [
      guestBody.sessionId,
    ]);
    expect(paid.rows).toEqual([{ shopper_id: guestId }]);
    expect((await saver.request('GET', '/api/payment-methods')).body.paymentMethods).toHaveLength(
      1,
    );
    // The visitor comes back with the same cookie: a new row with the session, and a card kept.
    const back = await visitor.newCardBody({ id: 'tshirt' });
    expect(await shopperOf(back.sessionId)).toBe(visitorId);
    const keep = { ...back, savePaymentMethod: true };
    expect((await visitor.request('POST', '/api/checkout/payments', keep)).status).toBe(201);
    expect((await visitor.request('GET', '/api/payment-methods')).body.paymentMethods).toHaveLength(
      1,
    );
  });

  it('keeps a card for a shopper whose row went while their session was live (the pass raced it)', async () => {
    const shopper = new SetupShopper(h);
    const body = await shopper.newCardBody({ id: 'tshirt' });
    // As a pass that read "no session" just before this one was written would leave it.
    await h.stub.db.query(
      'DELETE FROM shoppers WHERE id = (SELECT shopper_id FROM checkout_sessions WHERE id = $1)',
      [body.sessionId],
    );
    const keep = { ...body, savePaymentMethod: true };
    expect((await shopper.request('POST', '/api/checkout/payments', keep)).status).toBe(201);
    const [card] = (await shopper.request('GET', '/api/payment-methods')).body.paymentMethods;
    expect(card).toMatchObject({ last4: '1111' });
  });

  it('goes on past returning visitors where its last pass stopped, and forgets the idle visitor behind them', async () => {
    // A batch of 1: each pass looks at 10 shoppers.
    const small = await hardeningHarness({
      reconcile: { afterMs: 60_000, intervalMs: 0, batch: 1 },
    });
    try {
      const at = new Date(small.clock.now().getTime() - 3 * 86_400_000);
      const visitors = Array.from(
        { length: 10 },
        (_, i) => `shp_back${String(i).padStart(2, '0')}`,
      );
      for (const [i, id] of [...visitors, 'shp_gone'].entries()) {
        await ensureShopper(small.stub.db, id, new Date(at.getTime() + i * 1000));
      }
      // The ten came back today: each holds a live session. The last one never did.
      for (const id of visitors) {
        await insertSession(small.stub.db, {
          id: `cs_${id}`,
          shopperId: id,
          captureContext: 'a.b.c',
          flxJwk: { kty: 'RSA', n: 'n', e: 'AQAB' },
          targetOrigins: ['http://localhost:3000'],
          flexKeyId: undefined,
          createdAt: small.clock.now(),
          expiresAt: new Date(small.clock.now().getTime() + 15 * 60_000),
        });
      }
      const gone = async () => (await findShopper(small.stub.db, 'shp_gone')) === undefined;
      await small.stub.reconciler.runOnce();
      expect(await gone()).toBe(false);
      await small.stub.reconciler.runOnce();
      expect(await gone()).toBe(true);
      expect(await findShopper(small.stub.db, 'shp_back09')).toBeDefined();
    } finally {
      await small.close();
    }
  });

  it('puts a payment it could not settle behind the others, so a batch of stuck ones never starves newer ones', async () => {
    const small = await hardeningHarness({
      reconcile: { afterMs: 60_000, intervalMs: 0, batch: 1 },
    });
    try {
      const pay = async (amount: number) => {
        const r = await new SetupShopper(small).payNewCard({ id: 'donation', amount });
        expect(r.status).toBe(202);
        return String(r.body.payment.id);
      };
      const stuck = await pay(200_000);
      small.clock.advance(1_000);
      const newer = await pay(200_000);
      small.clock.advance(61_000);
      // The older one first, and its lookup fails every time.
      await armFault(small, { method: 'POST', path: '/tss/v2/searches', fault: '502', times: 1 });
      await armFault(small, { method: 'POST', path: '/pts/v2/voids', fault: '502', times: 1 });
      await small.stub.reconciler.runOnce();
      expect((await findPayment(small.stub.db, stuck))?.status).toBe('unknown');
      expect((await findPayment(small.stub.db, newer))?.status).toBe('unknown');
      // Next pass: the newer one, not the stuck one again.
      await small.stub.reconciler.runOnce();
      expect((await findPayment(small.stub.db, newer))?.status).toBe('succeeded');
      expect((await findPayment(small.stub.db, stuck))?.status).toBe('unknown');
    } finally {
      await small.close();
    }
  });

  it('keeps a payment unknown when its timeout void is answered 201 FAILED: the sale may stand', async () => {
    const refused = await hardeningHarness({
      wrapFetch: (f) =>
        editAnswers(f, (path, body) => {
          if (path === '/pts/v2/voids') body.status = 'FAILED';
          return undefined;
        }),
    });
    try {
      // 2000.00: recorded by CyberSource, answered 502; the search fails, so the void decides.
      const r = await new SetupShopper(refused).payNewCard({ id: 'donation', amount: 200_000 });
      refused.clock.advance(61_000);
      await armFault(refused, { method: 'POST', path: '/tss/v2/searches', fault: '502' });
      await refused.stub.reconciler.runOnce();
      expect((await findPayment(refused.stub.db, String(r.body.payment.id)))?.status).toBe(
        'unknown',
      );
    } finally {
      await refused.close();
    }
  });

  it('reads a void refused INVALID_DATA on another field as something else wrong, never as "not processed"', async () => {
    const odd = await hardeningHarness({
      wrapFetch: (f) => async (input, init) => {
        const res = await f(input, init);
        if (!String(input).endsWith('/pts/v2/voids') || res.status !== 400) return res;
        return new Response(
          JSON.stringify({
            status: 'INVALID_REQUEST',
            reason: 'INVALID_DATA',
            message: 'Declined - One or more fields in the request contains invalid data',
            details: [{ field: 'clientReferenceInformation.code', reason: 'INVALID_DATA' }],
          }),
          { status: 400, headers: { 'content-type': 'application/hal+json' } },
        );
      },
    });
    try {
      const r = await new SetupShopper(odd).payNewCard({ id: 'donation', amount: 200_100 });
      const id = String(r.body.payment.id);
      odd.clock.advance(61_000);
      await odd.stub.reconciler.runOnce();
      expect((await findPayment(odd.stub.db, id))?.status).toBe('unknown');
    } finally {
      await odd.close();
    }
  });

  it('waits for the details of a sale the search found (404 at first, as CyberSource warns) rather than voiding it', async () => {
    let lagging = true;
    const slow = await hardeningHarness({
      wrapFetch: (f) => async (input, init) =>
        lagging && /\/tss\/v2\/transactions\/\d+$/.test(String(input))
          ? new Response(JSON.stringify({ status: 'NOT_FOUND', reason: 'NOT_FOUND' }), {
              status: 404,
              headers: { 'content-type': 'application/hal+json' },
            })
          : f(input, init),
    });
    try {
      const calls = () =>
        slow.emulator.state.requests
          .list()
          .map((r) => `${r.method} ${r.path}`)
          .filter((c) => c === 'POST /pts/v2/voids');
      const r = await new SetupShopper(slow).payNewCard({ id: 'donation', amount: 200_000 });
      const id = String(r.body.payment.id);
      slow.clock.advance(61_000);
      await slow.stub.reconciler.runOnce();
      expect((await findPayment(slow.stub.db, id))?.status).toBe('unknown');
      expect(calls()).toEqual([]);
      // Still waited for 29 minutes after our row: CyberSource's five tries 5 minutes apart.
      slow.clock.advance(28 * 60_000);
      await slow.stub.reconciler.runOnce();
      expect((await findPayment(slow.stub.db, id))?.status).toBe('unknown');
      expect(calls()).toEqual([]);
      lagging = false;
      slow.clock.advance(61_000);
      await slow.stub.reconciler.runOnce();
      expect((await findPayment(slow.stub.db, id))?.status).toBe('succeeded');
      expect(calls()).toEqual([]);
      // Details that never come: after half an hour the sale is voided as if not found.
      const late = await new SetupShopper(slow).payNewCard({ id: 'donation', amount: 200_000 });
      lagging = true;
      slow.clock.advance(31 * 60_000);
      await slow.stub.reconciler.runOnce();
      expect(await findPayment(slow.stub.db, String(late.body.payment.id))).toMatchObject({
        status: 'failed',
        decline_reason: 'TIMEOUT_VOIDED',
      });
    } finally {
      await slow.close();
    }
  });

  it('reads its settings from the environment and names a bad variable', () => {
    expect(reconcileSettingsFromEnv({ RECONCILE_AFTER_SECONDS: '5' }).afterMs).toBe(5000);
    expect(reconcileSettingsFromEnv({}).afterMs).toBe(60_000);
    // 0 s would look a live call up; 0.0001 s would round to 0 and switch the timer off.
    expect(() => reconcileSettingsFromEnv({ RECONCILE_AFTER_SECONDS: '0' })).toThrow(
      /RECONCILE_AFTER_SECONDS: must be ≥ 1/,
    );
    expect(() => reconcileSettingsFromEnv({ RECONCILE_INTERVAL_SECONDS: '0.0001' })).toThrow(
      /RECONCILE_INTERVAL_SECONDS/,
    );
    expect(reconcileSettingsFromEnv({ RECONCILE_INTERVAL_SECONDS: '0' }).intervalMs).toBe(0);
    expect(() => reconcileSettingsFromEnv({ RECONCILE_AFTER_SECONDS: 'soon' })).toThrow(
      ConfigError,
    );
    expect(() => reconcileSettingsFromEnv({ RECONCILE_AFTER_SECONDS: 'soon' })).toThrow(
      /RECONCILE_AFTER_SECONDS/,
    );
    // What Number() reads as 0 (a blank from a template, hex, a negative zero) is refused, never
    // taken as "off": unknown payments would stay unknown, without a word.
    for (const value of [' ', '0x0', '-0', '1e1', '+5', 'Infinity'])
      expect(() => reconcileSettingsFromEnv({ RECONCILE_INTERVAL_SECONDS: value })).toThrow(
        /RECONCILE_INTERVAL_SECONDS: must be a number of seconds/,
      );
    expect(() => reconcileSettingsFromEnv({ RECONCILE_REVIEW_AFTER_SECONDS: ' ' })).toThrow(
      /RECONCILE_REVIEW_AFTER_SECONDS/,
    );
    expect(reconcileSettingsFromEnv({ RECONCILE_INTERVAL_SECONDS: '0.5' }).intervalMs).toBe(500);
    expect(reconcileSettingsFromEnv({ PAYMENT_TIMEOUT_SECONDS: '0.05' }).paymentTimeoutMs).toBe(50);
    expect(() => reconcileSettingsFromEnv({ PAYMENT_TIMEOUT_SECONDS: '0.01' })).toThrow(
      /PAYMENT_TIMEOUT_SECONDS: must be ≥ 0.05/,
    );
  });
});
