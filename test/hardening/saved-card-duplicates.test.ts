/**
 * The saved-card list and TMS out of step (server-stub/checkout/payment-methods.ts, save-card.ts):
 * a card saved again after TMS lost the kept copy, a duplicate whose clean-up failed, a card
 * whose removal is under way, and a card kept while a list was in flight. In each the shopper
 * sees every card once, and every card shown can be paid with.
 */
import { afterEach, beforeEach, expect, it } from 'vitest';
import { renewDue } from '../../server-stub/renew-due-run.ts';
import { MASTERCARD, Shopper, VISA } from '../server-stub/harness.ts';
import { armFault, type HardeningHarness, hardeningHarness } from './support.ts';

const DAY = 86_400_000;
let h: HardeningHarness;
/** Set to hold the next card-list answer until `release()`. */
let hold: { listed: () => void; gate: Promise<void> } | undefined;
/** The bodies of the payment-instrument PATCHes the stub sent. */
let patches: Record<string, unknown>[];
beforeEach(async () => {
  hold = undefined;
  patches = [];
  h = await hardeningHarness({
    wrapFetch: (f) => async (input, init) => {
      if (init?.method === 'PATCH') patches.push(JSON.parse(String(init.body)));
      const res = await f(input, init);
      const held = hold;
      if (held && /\/payment-instruments$/.test(new URL(String(input)).pathname)) {
        if (init?.method === undefined || init.method === 'GET') {
          hold = undefined;
          held.listed();
          await held.gate;
        }
      }
      return res;
    },
  });
});
afterEach(() => h.close());

/** A promise and the function that settles it (Node 20 has no `Promise.withResolvers`). */
function latch(): { wait: Promise<void>; open: () => void } {
  const box: { open?: () => void } = {};
  const wait = new Promise<void>((r) => {
    box.open = r;
  });
  return { wait, open: () => box.open?.() };
}

type Card = { id: string; last4: string; default: boolean };
async function list(s: Shopper): Promise<Card[]> {
  const r = await s.request('GET', '/api/payment-methods');
  expect(r.status).toBe(200);
  return r.body.paymentMethods;
}
const summary = (cards: Card[]) => cards.map((c) => `${c.last4}${c.default ? '*' : ''}`).sort();

async function save(s: Shopper, card = VISA): Promise<string> {
  const r = await s.payNewCard({ id: 'tshirt' }, { savePaymentMethod: true }, card);
  expect(r.status).toBe(201);
  return r.body.paymentMethodId;
}

async function payWith(s: Shopper, paymentMethodId: string) {
  return s.request('POST', '/api/checkout/payments', { paymentMethodId, item: { id: 'tshirt' } });
}

it('a card saved again after its reissue gives TMS the new expiry with the card type', async () => {
  const s = new Shopper(h);
  const kept = await save(s, { ...VISA, expirationMonth: '01', expirationYear: '2032' });
  expect(await save(s, { ...VISA, expirationMonth: '09', expirationYear: '2034' })).toBe(kept);
  expect(patches).toEqual([
    { default: true, card: { expirationMonth: '09', expirationYear: '2034', type: '001' } },
  ]);
});

it('a card saved again after TMS lost the kept copy keeps the new instrument, and its plan renews', async () => {
  // Another shopper keeps the same card, so its instrument identifier outlives A's instrument.
  await save(new Shopper(h));
  const a = new Shopper(h);
  const lost = await save(a);
  const tms = h.emulator.state.tms;
  const pi = tms.paymentInstruments.get(lost);
  if (!pi) throw new Error('no instrument at the emulator');
  tms.deletePaymentInstrument(pi); // deleted in the Business Center, say

  const plan = await a.payNewCard({ id: 'pro-monthly' }, {}, VISA);
  expect(plan.status).toBe(201);
  const kept: string = plan.body.paymentMethodId;
  expect(kept).not.toBe(lost);
  expect(plan.body.subscription.paymentMethodId).toBe(kept);
  expect((await list(a)).map((c) => c.id)).toEqual([kept]);
  expect((await payWith(a, kept)).status).toBe(201);

  h.clock.advance(31 * DAY);
  expect((await renewDue(h.stub)).renewed).toEqual([plan.body.subscription.id]);
});

/**
 * A shopper with a Visa and then a Mastercard saves the Visa again while TMS fails `method` (the
 * kept copy made default, or the new duplicate deleted): TMS keeps the Visa twice.
 */
async function duplicateLeftBy(method: 'PATCH' | 'DELETE') {
  const s = new Shopper(h);
  const visa = await save(s);
  await save(s, MASTERCARD);
  await armFault(h, { method, path: '/tms/v2/customers/', fault: '502', processed: false });
  expect(await save(s)).toBe(visa);
  return { s, visa, cards: await list(s) };
}

it('a duplicate left by a failed clean-up is listed once, by the kept card, which pays', async () => {
  const { s, visa, cards } = await duplicateLeftBy('DELETE');
  // The shopper sees the Visa once, as their default (just chosen).
  expect(summary(cards)).toEqual(['1111*', '4444']);
  expect(cards.find((c) => c.last4 === '1111')?.id).toBe(visa);
  for (const c of cards) expect((await payWith(s, c.id)).status).toBe(201);
});

it('a duplicate left as the TMS default makes the kept card the default shown', async () => {
  // The kept Visa could not be made default, so the duplicate (default on creation) stays it.
  const { s, visa, cards } = await duplicateLeftBy('PATCH');
  expect(summary(cards)).toEqual(['1111*', '4444']);
  expect(cards.find((c) => c.default)?.id).toBe(visa);
  expect((await payWith(s, visa)).status).toBe(201);
});

it.each(['DELETE', 'PATCH'] as const)(
  'removing a card TMS holds twice (clean-up %s failed) removes both copies',
  async (method) => {
    const { s, visa } = await duplicateLeftBy(method);
    expect((await s.request('DELETE', `/api/payment-methods/${visa}`)).status).toBe(204);
    // Not back under the duplicate's id: the Mastercard alone, now the default.
    expect(summary(await list(s))).toEqual(['4444*']);
    const tms = h.emulator.state.tms;
    const [customer] = [...tms.customers.values()];
    const left = tms
      .customerPaymentInstruments(customer?.id ?? '')
      .filter((pi) => pi.state === 'ACTIVE');
    expect(left).toHaveLength(1);
  },
);

it('a card whose removal is under way is not listed until its hold ends, then removes', async () => {
  const s = new Shopper(h);
  const visa = await save(s);
  const mastercard = await save(s, MASTERCARD);
  // The delete fails: whether TMS deleted the card is not known, so the removal holds it for a
  // while (REMOVAL_HOLD_MS); it could be neither paid with nor removed again meanwhile.
  await armFault(h, {
    method: 'DELETE',
    path: '/tms/v2/customers/',
    fault: '502',
    processed: false,
  });
  expect((await s.request('DELETE', `/api/payment-methods/${visa}`)).status).toBe(502);
  expect((await list(s)).map((c) => c.id)).toEqual([mastercard]);
  // The hold over, TMS still has it: listed again, and this time it goes.
  h.clock.advance(6 * 60_000);
  expect((await list(s)).map((c) => c.id).sort()).toEqual([mastercard, visa].sort());
  expect((await s.request('DELETE', `/api/payment-methods/${visa}`)).status).toBe(204);
  expect((await list(s)).map((c) => c.id)).toEqual([mastercard]);
});

it('a card kept while a list is in flight is not forgotten by that list', async () => {
  const s = new Shopper(h);
  await save(s);
  const reached = latch();
  const gate = latch();
  hold = { listed: reached.open, gate: gate.wait };
  const pending = list(s);
  await reached.wait; // TMS answered the list without the card about to be kept
  h.clock.advance(1000);
  const mastercard = await save(s, MASTERCARD);
  gate.open();
  expect((await pending).map((c) => c.last4)).toEqual(['1111']);
  expect((await payWith(s, mastercard)).status).toBe(201);
  expect(summary(await list(s))).toEqual(['1111', '4444*']);
});
