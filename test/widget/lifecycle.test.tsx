// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { REFRESH_LEAD_MS, REFRESH_MIN_MS } from '../../widget/checkout/controller.tsx';
import { mount } from '../../widget/mount.tsx';
import type { FlexWorld } from './fake-flex.ts';
import {
  captureContext,
  ENDPOINT,
  type FakeStub,
  fillValid,
  fireEvent,
  holdSession,
  LIBRARY,
  mountWidget,
  paid,
  payButton,
  ready,
  setup,
  waitFor,
} from './harness.ts';

let stub: FakeStub;
let world: FlexWorld;

beforeEach(() => {
  ({ stub, world } = setup());
});
afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

/**
 * Fake timers that also run on their own (Microform's load events, awaits and waitFor work as
 * usual), so a test can jump 13 minutes ahead with `vi.advanceTimersByTimeAsync`.
 */
const fakeClock = () => vi.useFakeTimers({ shouldAdvanceTime: true });

/** Sessions issued by a stub whose clock reads `serverNow()`: context lifetime `life` s. */
function sessionsFrom(serverNow: () => number, life = 900) {
  stub.routes['POST /api/checkout/sessions'] = () => {
    stub.sessions++;
    return {
      status: 201,
      body: {
        sessionId: `sess-${stub.sessions}`,
        captureContext: captureContext(LIBRARY, stub.sessions, life),
        expiresAt: serverNow() + life * 1000,
        environment: 'sandbox',
      },
    };
  };
}

/**
 * A returning shopper with a saved default card, and a second session whose answer waits until
 * the returned function is called (then fails when `fail`): a renewal in flight meanwhile.
 */
function savedCardAndHeldSession(fail: boolean): () => void {
  stub.routes['GET /api/payment-methods'] = {
    status: 200,
    body: { paymentMethods: [{ id: 'pi-visa', brand: 'VISA', last4: '1111', isDefault: true }] },
  };
  const make = stub.routes['POST /api/checkout/sessions'];
  let answer = () => {};
  stub.routes['POST /api/checkout/sessions'] = async (req, n) => {
    if (n === 2) {
      await new Promise<void>((r) => {
        answer = r;
      });
      if (fail) throw new TypeError('Failed to fetch');
    }
    return typeof make === 'function' ? make(req, n) : { status: 500 };
  };
  return () => answer();
}

const liveRegion = (el: HTMLElement) => el.querySelector('[role=status]')?.textContent ?? '';

describe('capture-context lifetime', () => {
  test('the refresh is planned 2 minutes before the 15-minute expiry', async () => {
    const timeouts = vi.spyOn(globalThis, 'setTimeout');
    const { el } = mountWidget();
    await ready(el);
    const delays = timeouts.mock.calls.map((c) => Number(c[1]));
    expect(
      delays.some((d) => d > 900_000 - REFRESH_LEAD_MS - 2_000 && d <= 900_000 - REFRESH_LEAD_MS),
    ).toBe(true);
  });

  test.each([
    ['fast', 20],
    ['slow', -20],
  ])(
    'a shopper clock 20 minutes %s changes nothing: the context’s own lifetime counts, no renewal loop',
    async (_, minutes) => {
      const t0 = Date.now();
      // The stub issues contexts (and expiresAt) by its own clock; the shopper's is off.
      sessionsFrom(() => t0);
      vi.spyOn(Date, 'now').mockReturnValue(t0 + minutes * 60_000);
      const timeouts = vi.spyOn(globalThis, 'setTimeout');
      const { el } = mountWidget();
      await ready(el);
      await new Promise((r) => setTimeout(r, 100));
      expect(stub.sessions).toBe(1);
      expect(timeouts.mock.calls.map((c) => Number(c[1]))).toContain(900_000 - REFRESH_LEAD_MS);
    },
  );

  test('a resumed session is renewed 2 minutes before its context ends, by the seconds the stub says it has left', async () => {
    // Started 5 minutes ago and handed out again: a 15-minute context with 10 minutes left.
    stub.routes['POST /api/checkout/sessions'] = () => {
      stub.sessions++;
      return {
        status: 201,
        body: {
          sessionId: 'sess-resumed',
          captureContext: captureContext(LIBRARY, stub.sessions, 900),
          expiresAt: Date.now() + 600_000,
          expiresIn: 600,
          environment: 'sandbox',
        },
      };
    };
    const timeouts = vi.spyOn(globalThis, 'setTimeout');
    const { el, handle } = mountWidget();
    await ready(el);
    const delays = timeouts.mock.calls.map((c) => Number(c[1]));
    expect(delays).toContain(600_000 - REFRESH_LEAD_MS);
    expect(delays).not.toContain(900_000 - REFRESH_LEAD_MS);
    handle.unmount();
  });

  test('a context that claims too short a life is renewed after REFRESH_MIN_MS, not at once', async () => {
    // exp = iat (no usable lifetime) and an expiresAt already past by the shopper's clock.
    sessionsFrom(() => Date.now() - 1_000, 0);
    const timeouts = vi.spyOn(globalThis, 'setTimeout');
    const { el, handle } = mountWidget();
    await ready(el);
    await new Promise((r) => setTimeout(r, 100));
    expect(stub.sessions).toBe(1);
    expect(timeouts.mock.calls.map((c) => Number(c[1]))).toContain(REFRESH_MIN_MS);
    // Its 10-second timer must not fire into a later test.
    handle.unmount();
  });

  test('an untouched form is refreshed silently: new session, new fields, no message, no second ready', async () => {
    fakeClock();
    const { el, events, callbacks } = mountWidget();
    await ready(el);
    await vi.advanceTimersByTimeAsync(900_000 - REFRESH_LEAD_MS);
    await waitFor(() => expect(stub.sessions).toBe(2));
    await ready(el);
    expect(world.contexts).toHaveLength(2);
    expect(world.fields.filter((f) => f.disposed)).toHaveLength(2);
    expect(el.querySelectorAll('[data-cc-field=number] .fake-iframe')).toHaveLength(1);
    expect(el.querySelector('.cc-notice')).toBeNull();
    // The page heard "ready" once, when the checkout first loaded: a refresh is no new checkout.
    expect(events.filter((e) => e.type === 'checkout:ready')).toHaveLength(1);
    expect(callbacks.filter((c) => c.name === 'ready')).toHaveLength(1);
    fillValid(el, world);
    fireEvent.click(payButton(el));
    await waitFor(() => expect(stub.calls('POST', '/api/checkout/payments')).toHaveLength(1));
    expect(stub.calls('POST', '/api/checkout/payments')[0]?.body).toMatchObject({
      sessionId: 'sess-2',
    });
    expect(world.tokenCalls[0]?.captureContext).toBe(world.contexts[1]);
  });

  test('during a refresh Pay stays off until both new fields have loaded, not at the first', async () => {
    fakeClock();
    const { el } = mountWidget();
    await ready(el);
    world.hold = 'securityCode';
    await vi.advanceTimersByTimeAsync(900_000 - REFRESH_LEAD_MS);
    await waitFor(() => expect(world.fields).toHaveLength(4));
    // The new card number field has loaded; its security code has not. The shopper types (each
    // change redraws) and presses Enter in the number field: nothing is tokenized yet.
    await vi.advanceTimersByTimeAsync(10);
    expect(world.held).toHaveLength(1);
    fillValid(el, world);
    expect(payButton(el).disabled).toBe(true);
    world.field('number').emit('inputSubmitRequest');
    await vi.advanceTimersByTimeAsync(10);
    expect(world.tokenCalls).toHaveLength(0);
    world.release();
    await ready(el);
    world.field('number').emit('inputSubmitRequest');
    await waitFor(() => expect(stub.calls('POST', '/api/checkout/payments')).toHaveLength(1));
  });

  test('a widget whose element is off the page asks for no new session, and renews once it is put back', async () => {
    fakeClock();
    const { el } = mountWidget();
    await ready(el);
    el.remove();
    await vi.advanceTimersByTimeAsync(3_600_000);
    expect(stub.sessions).toBe(1);
    // Put back (a modal's content kept aside, say): renewed within the minute, fields and all.
    document.body.append(el);
    await vi.advanceTimersByTimeAsync(60_000);
    await waitFor(() => expect(stub.sessions).toBe(2));
    await ready(el);
    expect(el.querySelectorAll('[data-cc-field=number] .fake-iframe')).toHaveLength(1);
  });

  test('a refresh after the shopper typed asks to re-enter only the card fields', async () => {
    fakeClock();
    const { el } = mountWidget();
    await ready(el);
    fillValid(el, world);
    await vi.advanceTimersByTimeAsync(900_000 - REFRESH_LEAD_MS);
    await waitFor(() => expect(stub.sessions).toBe(2));
    await waitFor(() =>
      expect(el.querySelector('.cc-notice')?.textContent).toBe(
        'Please enter your card number and security code again.',
      ),
    );
    expect(el.querySelector<HTMLInputElement>('input[name=email]')?.value).toBe('ada@example.com');
    // Not under a Pay: the shopper may be typing elsewhere, so focus stays where it is.
    expect(world.focused).toEqual([]);
  });

  test('a refresh that cannot get a session keeps the typed card payable, and asks again, each wait longer', async () => {
    fakeClock();
    const make = stub.routes['POST /api/checkout/sessions'];
    // Offline a moment at minute 13: the 2nd and 3rd asks fail (no answer, then a 503).
    stub.routes['POST /api/checkout/sessions'] = async (req, n) => {
      if (n === 2) throw new TypeError('Failed to fetch');
      if (n === 3) return { status: 503, body: { error: { code: 'shutting_down' } } };
      return typeof make === 'function' ? make(req, n) : { status: 500 };
    };
    const asked = () => stub.calls('POST', '/api/checkout/sessions').length;
    const { el, callbacks } = mountWidget();
    await ready(el);
    fillValid(el, world);
    await vi.advanceTimersByTimeAsync(900_000 - REFRESH_LEAD_MS);
    await waitFor(() => expect(asked()).toBe(2));
    // Nothing said, nothing taken away: the fields in place can still pay.
    await waitFor(() => expect(payButton(el).disabled).toBe(false));
    expect(el.querySelector('.cc-notice')).toBeNull();
    expect(world.fields.filter((f) => f.disposed)).toHaveLength(0);
    expect(callbacks.filter((c) => c.name === 'error')).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(REFRESH_MIN_MS);
    await waitFor(() => expect(asked()).toBe(3));
    // Then twice as long.
    await vi.advanceTimersByTimeAsync(REFRESH_MIN_MS + 1_000);
    expect(asked()).toBe(3);
    await vi.advanceTimersByTimeAsync(REFRESH_MIN_MS);
    await waitFor(() => expect(asked()).toBe(4));
    await ready(el);
    expect(world.fields.filter((f) => f.disposed)).toHaveLength(2);
    expect(el.querySelector('.cc-notice')?.textContent).toBe(
      'Please enter your card number and security code again.',
    );
  });

  test('paying during a refresh that failed pays with the fields in place', async () => {
    fakeClock();
    const make = stub.routes['POST /api/checkout/sessions'];
    stub.routes['POST /api/checkout/sessions'] = async (req, n) => {
      if (n > 1) throw new TypeError('Failed to fetch');
      return typeof make === 'function' ? make(req, n) : { status: 500 };
    };
    const { el } = mountWidget();
    await ready(el);
    fillValid(el, world);
    await vi.advanceTimersByTimeAsync(900_000 - REFRESH_LEAD_MS);
    await waitFor(() => expect(stub.calls('POST', '/api/checkout/sessions')).toHaveLength(2));
    await waitFor(() => expect(payButton(el).disabled).toBe(false));
    fireEvent.click(payButton(el));
    await waitFor(() => expect(el.querySelector('.cc-done')).not.toBeNull());
    expect(stub.calls('POST', '/api/checkout/payments')[0]?.body).toMatchObject({
      sessionId: 'sess-1',
    });
  });

  test('a saved-card payment made while the refresh waits for a session: after the receipt nothing is renewed', async () => {
    fakeClock();
    // The connection goes quiet, then fails.
    const answer = savedCardAndHeldSession(true);
    const asked = () => stub.calls('POST', '/api/checkout/sessions').length;
    const { el, handle } = mountWidget();
    await ready(el);
    await vi.advanceTimersByTimeAsync(900_000 - REFRESH_LEAD_MS);
    await waitFor(() => expect(asked()).toBe(2));
    fireEvent.click(payButton(el));
    await waitFor(() => expect(el.querySelector('.cc-done')).not.toBeNull());
    answer();
    await vi.advanceTimersByTimeAsync(200_000);
    // No session asked for on the receipt (each is one of the shopper's 10 per 10 minutes).
    expect(asked()).toBe(2);
    // The next item's checkout loads its own fields: Pay with a new card waits for them.
    handle.update({ item: 'donation' });
    await waitFor(() => expect(asked()).toBe(3));
    await ready(el);
    expect(world.fields.filter((f) => !f.disposed)).toHaveLength(2);
  });

  test('a saved-card payment made while an expired context renews: after the receipt nothing is renewed', async () => {
    fakeClock();
    const answer = savedCardAndHeldSession(false);
    const asked = () => stub.calls('POST', '/api/checkout/sessions').length;
    const { el } = mountWidget();
    await ready(el);
    const expired = { name: 'MicroformError', reason: 'CAPTURE_CONTEXT_EXPIRED' };
    world.field('number').emit('error', expired);
    world.field('securityCode').emit('error', expired);
    await waitFor(() => expect(asked()).toBe(2));
    fireEvent.click(payButton(el));
    await waitFor(() => expect(el.querySelector('.cc-done')).not.toBeNull());
    answer();
    await vi.advanceTimersByTimeAsync(45 * 60_000);
    // No fields behind the receipt, renewing every 13 minutes (each a session of the shopper's).
    expect(asked()).toBe(2);
    expect(world.fields.filter((f) => !f.disposed)).toHaveLength(0);
  });

  test('while the outcome is unknown the refresh waits: "confirming" and Check again stay', async () => {
    fakeClock();
    stub.routes['POST /api/checkout/payments'] = (req, n) =>
      n === 1
        ? { status: 202, body: { error: { code: 'payment_outcome_unknown' } } }
        : { status: 201, body: paid(req) };
    const { el } = mountWidget();
    await ready(el);
    fillValid(el, world);
    fireEvent.click(payButton(el));
    const unknown = 'We are confirming your payment. Do not pay again.';
    await waitFor(() => expect(el.querySelector('.cc-notice')?.textContent).toContain(unknown));
    // Past the 13-minute refresh, and well past the context's expiry.
    await vi.advanceTimersByTimeAsync(1_000_000);
    expect(el.querySelector('.cc-notice')?.textContent).toBe(`${unknown} Check again`);
    expect(liveRegion(el)).not.toContain('enter your card number');
    expect(payButton(el).disabled).toBe(true);
    expect(stub.sessions).toBe(1);
    fireEvent.click(el.querySelector('.cc-notice button') as HTMLElement);
    await waitFor(() => expect(el.querySelector('.cc-done')).not.toBeNull());
    const [a, b] = stub.calls('POST', '/api/checkout/payments');
    expect(b?.headers['Idempotency-Key']).toBe(a?.headers['Idempotency-Key']);
  });

  test.each<[string, () => void]>([
    [
      'createToken saying CAPTURE_CONTEXT_EXPIRED',
      () =>
        void world.tokens.push({
          error: {
            name: 'MicroformError',
            reason: 'CAPTURE_CONTEXT_EXPIRED',
            message: 'Your capture context has expired.',
          },
        }),
    ],
    ...(
      [
        [410, 'session_expired'],
        [404, 'session_not_found'],
      ] as const
    ).map(([status, code]): [string, () => void] => [
      `a payment answered ${status} ${code}`,
      () => {
        stub.routes['POST /api/checkout/payments'] = (req, n) =>
          n === 1 ? { status, body: { error: { code } } } : { status: 201, body: paid(req) };
      },
    ]),
  ])('%s gets a new session and new fields, then pays', async (_, stale) => {
    stale();
    const { el } = mountWidget();
    await ready(el);
    fillValid(el, world);
    fireEvent.click(payButton(el));
    await waitFor(() => expect(stub.sessions).toBe(2));
    await ready(el);
    expect(el.querySelector('.cc-notice')?.textContent).toBe(
      'Please enter your card number and security code again.',
    );
    // The keyboard goes with it, to the new card number field (not lost to the page).
    await waitFor(() => expect(world.focused.at(-1)).toBe('number'));
    const refused = stub.calls('POST', '/api/checkout/payments').length;
    world.typeCard();
    fireEvent.click(payButton(el));
    await waitFor(() => expect(el.querySelector('.cc-done')).not.toBeNull());
    expect(stub.calls('POST', '/api/checkout/payments')[refused]?.body).toMatchObject({
      sessionId: 'sess-2',
      transientToken: 'transient-2',
    });
  });
});

/**
 * Pays with a session the stub does not find (the shopper cookie cleared): the widget gets a new
 * one, and the shopper types the card again and pays again.
 */
async function payThroughLostSession(el: HTMLElement) {
  await ready(el);
  fillValid(el, world);
  fireEvent.click(payButton(el));
  await waitFor(() => expect(stub.sessions).toBe(2));
  await ready(el);
  world.typeCard();
  fireEvent.click(payButton(el));
}

test('a session not found again after its renewal is a failure, never a loop of new sessions', async () => {
  stub.routes['POST /api/checkout/payments'] = {
    status: 404,
    body: { error: { code: 'session_not_found' } },
  };
  const { el } = mountWidget();
  await payThroughLostSession(el);
  await waitFor(() =>
    expect(el.querySelector('.cc-notice')?.textContent).toContain('Something went wrong'),
  );
  expect(stub.sessions).toBe(2);
  expect(stub.calls('POST', '/api/checkout/payments')).toHaveLength(2);
});

test('a session lost again later, after one that was found, is renewed again', async () => {
  stub.routes['POST /api/checkout/payments'] = (req, n) =>
    n === 2
      ? { status: 201, body: paid(req) }
      : { status: 404, body: { error: { code: 'session_not_found' } } };
  const { el, handle } = mountWidget();
  await payThroughLostSession(el);
  await waitFor(() => expect(el.querySelector('.cc-done')).not.toBeNull());
  handle.update({ item: 'donation' });
  await waitFor(() => expect(stub.sessions).toBe(3));
  await ready(el);
  fillValid(el, world);
  fireEvent.click(payButton(el));
  await waitFor(() => expect(stub.sessions).toBe(4));
  expect(el.querySelector('.cc-notice')?.textContent ?? '').not.toContain('Something went wrong');
});

describe('mounting', () => {
  test('mounting twice into one element replaces the first widget', async () => {
    const el = document.createElement('div');
    document.body.append(el);
    const first = mount(el, { endpoint: ENDPOINT, item: 'tee' });
    const second = mount(el, { endpoint: ENDPOINT, item: 'plan-monthly' });
    await ready(el);
    expect(el.querySelectorAll('.cc')).toHaveLength(1);
    expect(payButton(el).textContent).toBe('Pay $12.00 / month');
    first.unmount(); // a stale handle does nothing
    expect(el.querySelector('.cc')).not.toBeNull();
    second.unmount();
    expect(el.childNodes).toHaveLength(0);
  });

  test('unmount releases the fields; mounting again works', async () => {
    const a = mountWidget();
    await ready(a.el);
    a.handle.unmount();
    expect(world.fields.every((f) => f.disposed)).toBe(true);
    expect(a.el.innerHTML).toBe('');
    const b = mount(a.el, { endpoint: ENDPOINT, item: 'tee' });
    await ready(a.el);
    b.unmount();
  });

  test('two widgets on one page work independently', async () => {
    const a = mountWidget({ item: 'tee' });
    const b = mountWidget({ item: 'plan-monthly', theme: 'dark' });
    await ready(a.el);
    await ready(b.el);
    const ids = Array.from(document.querySelectorAll('[id]')).map((e) => e.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(document.querySelectorAll('style[data-cyber-checkout]')).toHaveLength(1);
    expect(b.el.querySelector('.cc')?.getAttribute('data-theme')).toBe('dark');
    expect(payButton(a.el).textContent).toBe('Pay $25.00');
    expect(payButton(b.el).textContent).toBe('Pay $12.00 / month');
  });

  test('update(): a new item or language keeps the session and card fields', async () => {
    const { el, handle, events } = mountWidget({ item: 'donation', amount: 500 });
    await ready(el);
    handle.update({ amount: 700 });
    expect(payButton(el).textContent).toBe('Pay $7.00');
    expect(stub.sessions).toBe(1);
    const frames = el.querySelectorAll('iframe');
    // Browsing items must not spend the shopper's session allowance (a capture context each).
    for (const [item, pay] of [
      ['tee', 'Pay $25.00'],
      ['plan-monthly', 'Pay $12.00 / month'],
      ['tee', 'Pay $25.00'],
    ] as const) {
      // `update()` merges: the donation's amount is named away (it is refused on a fixed price).
      handle.update({ item, amount: undefined });
      await waitFor(() => expect(payButton(el).textContent).toBe(pay));
    }
    expect(stub.sessions).toBe(1);
    expect([...el.querySelectorAll('iframe')]).toEqual([...frames]);
    expect(events.filter((e) => e.type === 'checkout:ready').at(-1)?.detail).toMatchObject({
      item: { id: 'tee' },
    });
    // Switching languages is not a checkout attempt either: the fields are relabelled in place.
    handle.update({ locale: 'fr' });
    await waitFor(() => expect(el.querySelector('.cc')?.getAttribute('lang')).toBe('fr'));
    await ready(el);
    const live = world.fields.filter((f) => !f.disposed);
    expect(live.map((f) => f.options['aria-label'])).toEqual([
      'Numéro de carte',
      'Code de sécurité',
    ]);
    expect(stub.sessions).toBe(1);
    expect([...el.querySelectorAll('iframe')]).toEqual([...frames]);
  });

  test('two checkouts on one page ask for their sessions one after the other (one shopper cookie for both)', async () => {
    // A first visit: the stub makes a shopper for a session request without its cookie. Asked
    // at once, two requests would make two shoppers, and the browser keeps one cookie.
    const answerFirst = holdSession(stub);
    const a = mountWidget({ item: 'tee' });
    const b = mountWidget({ item: 'plan-monthly' });
    await waitFor(() => expect(stub.calls('POST', '/api/checkout/sessions')).toHaveLength(1));
    await new Promise((r) => setTimeout(r, 50));
    expect(stub.calls('POST', '/api/checkout/sessions')).toHaveLength(1);
    answerFirst();
    await ready(a.el);
    await ready(b.el);
    expect(stub.calls('POST', '/api/checkout/sessions')).toHaveLength(2);
  });

  test('a checkout unmounted while its session request waits its turn sends none, and the next does not wait for it', async () => {
    const answerFirst = holdSession(stub);
    const a = mountWidget({ item: 'tee' });
    await waitFor(() => expect(stub.calls('POST', '/api/checkout/sessions')).toHaveLength(1));
    // A shop opening its checkout page and leaving it before the first session came back.
    for (let i = 0; i < 3; i++) mountWidget({ item: 'plan-monthly' }).handle.unmount();
    const b = mountWidget({ item: 'plan-monthly' });
    answerFirst();
    await ready(a.el);
    await ready(b.el);
    expect(stub.calls('POST', '/api/checkout/sessions')).toHaveLength(2);
  });

  test('two script tags (two copies of the bundle) still give every element its own id', async () => {
    const copy = async () => {
      vi.resetModules();
      return (await import('../../widget/mount.tsx')).mount;
    };
    const [mountA, mountB] = [await copy(), await copy()];
    const a = document.createElement('div');
    const b = document.createElement('div');
    document.body.append(a, b);
    mountA(a, { endpoint: ENDPOINT, item: 'tee' });
    mountB(b, { endpoint: ENDPOINT, item: 'tee' });
    await ready(a);
    await ready(b);
    const ids = Array.from(document.querySelectorAll('[id]')).map((e) => e.id);
    expect(ids.length).toBeGreaterThan(4);
    expect(new Set(ids).size).toBe(ids.length);
    const expiry = b.querySelector('input[name=expiry]') as HTMLInputElement;
    expect(document.getElementById(expiry.id)).toBe(expiry);
  });

  test('update() honours saveCard, and a new item recomputes it (on for plans)', async () => {
    const { el, handle } = mountWidget({ item: 'plan-monthly' });
    await ready(el);
    const box = () => el.querySelector('input[type=checkbox]') as HTMLInputElement;
    expect(box().checked).toBe(true);
    handle.update({ item: 'tee' });
    await waitFor(() => expect(payButton(el).textContent).toBe('Pay $25.00'));
    await ready(el);
    expect(box().checked).toBe(false);
    expect(box().disabled).toBe(false);
    handle.update({ saveCard: true });
    expect(box().checked).toBe(true);
    handle.update({ saveCard: false });
    expect(box().checked).toBe(false);
    fillValid(el, world);
    fireEvent.click(payButton(el));
    await waitFor(() => expect(stub.calls('POST', '/api/checkout/payments')).toHaveLength(1));
    expect(stub.calls('POST', '/api/checkout/payments')[0]?.body).toMatchObject({
      item: { id: 'tee' },
      savePaymentMethod: false,
    });
  });

  // Below the minimum and above the maximum (100 to 100000).
  test.each([1, 100001])(
    'update({amount: %i}) outside the item’s bounds is a merchant error, like at start; a good one recovers',
    async (amount) => {
      const log = vi.spyOn(console, 'error').mockImplementation(() => {});
      const { el, handle, events, callbacks } = mountWidget({ item: 'donation', amount: 500 });
      await ready(el);
      handle.update({ amount });
      expect(log).toHaveBeenCalledWith('CyberCheckout: amount must be 100 to 100000');
      expect(el.querySelector('[role=alert]')?.textContent).toBe(
        'Checkout unavailable: amount must be 100 to 100000.',
      );
      expect(el.querySelector('.cc-pay')).toBeNull();
      const detail = { code: 'config_error', message: 'amount must be 100 to 100000' };
      expect(events.at(-1)).toEqual({ type: 'checkout:error', detail });
      expect(callbacks.at(-1)).toEqual({ name: 'error', detail });
      handle.update({ amount: 700 });
      await ready(el);
      expect(payButton(el).textContent).toBe('Pay $7.00');
    },
  );

  test('an amount on a fixed-price item is a merchant error, not silently ignored; naming it away recovers', async () => {
    const log = vi.spyOn(console, 'error').mockImplementation(() => {});
    const { el, handle, events } = mountWidget({ item: 'tee', amount: 5000 });
    await waitFor(() => expect(el.querySelector('[role=alert]')).not.toBeNull());
    expect(log).toHaveBeenCalledWith('CyberCheckout: amount is only for custom-amount items');
    expect(el.querySelector('[role=alert]')?.textContent).toBe(
      'Checkout unavailable: amount is only for custom-amount items.',
    );
    expect(el.querySelector('.cc-pay')).toBeNull();
    expect(events.at(-1)?.detail).toEqual({
      code: 'config_error',
      message: 'amount is only for custom-amount items',
    });
    // From a donation with its amount to a fixed-price item: update() merges, so the amount
    // stays named until the page drops it.
    handle.update({ item: 'donation', amount: 700 });
    await ready(el);
    expect(payButton(el).textContent).toBe('Pay $7.00');
    handle.update({ item: 'tee' });
    await waitFor(() => expect(el.querySelector('.cc-pay')).toBeNull());
    handle.update({ amount: undefined });
    await ready(el);
    expect(payButton(el).textContent).toBe('Pay $25.00');
  });

  test('checkout:ready carries the amount the shopper is offered, not the catalog’s', async () => {
    const { el, handle, events, callbacks } = mountWidget({ item: 'donation', amount: 4200 });
    await ready(el);
    const readies = () => events.filter((e) => e.type === 'checkout:ready');
    expect(readies().at(-1)?.detail).toMatchObject({ item: { id: 'donation', amount: 4200 } });
    expect(callbacks.find((c) => c.name === 'ready')?.detail).toMatchObject({
      item: { amount: 4200 },
    });
    // Without the option the shopper starts from the catalog's amount, and that is what is said.
    handle.update({ item: 'tee', amount: undefined });
    await waitFor(() => expect(readies()).toHaveLength(2));
    expect(readies().at(-1)?.detail).toMatchObject({ item: { id: 'tee', amount: 2500 } });
    handle.update({ item: 'donation' });
    await waitFor(() => expect(readies()).toHaveLength(3));
    expect(readies().at(-1)?.detail).toMatchObject({ item: { id: 'donation', amount: 1000 } });
  });

  test('the style element takes the nonce option', async () => {
    const { el } = mountWidget({ nonce: 'r4nd0m' });
    await ready(el);
    expect(document.querySelector('style[data-cyber-checkout]')?.getAttribute('nonce')).toBe(
      'r4nd0m',
    );
    expect(document.querySelector('[style]')).toBeNull();
  });
});

describe('the style element and a strict CSP', () => {
  const style = () => document.querySelectorAll('style[data-cyber-checkout]');

  test('a first mount with a bad option still gives the style its nonce', () => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    const el = document.createElement('div');
    document.body.append(el);
    const h = mount(el, {
      endpoint: ENDPOINT,
      item: 'tee',
      theme: 'pink',
      nonce: 'n0nce',
    } as never);
    expect(style()).toHaveLength(1);
    expect(style()[0]?.getAttribute('nonce')).toBe('n0nce');
    h.update({ theme: 'light' });
    expect(style()).toHaveLength(1);
    expect(style()[0]?.getAttribute('nonce')).toBe('n0nce');
  });

  test('a style injected without a nonce is replaced once a widget brings one, then kept', async () => {
    const a = mountWidget();
    expect(style()[0]?.hasAttribute('nonce')).toBe(false);
    const b = mountWidget({ nonce: 'n1' });
    expect(style()).toHaveLength(1);
    expect(style()[0]?.getAttribute('nonce')).toBe('n1');
    const kept = style()[0];
    mountWidget({ nonce: 'n1' });
    b.handle.update({ theme: 'dark' });
    expect(style()[0]).toBe(kept);
    await ready(a.el);
    await ready(b.el);
  });

  test('a widget mounted first and put in a shadow root after (a web component’s order) is styled there', async () => {
    const host = document.createElement('div');
    document.body.append(host);
    const shadow = host.attachShadow({ mode: 'open' });
    const el = document.createElement('div');
    const h = mount(el, { endpoint: ENDPOINT, item: 'tee' });
    shadow.append(el);
    try {
      await ready(el);
      expect(shadow.querySelectorAll('style[data-cyber-checkout]')).toHaveLength(1);
    } finally {
      h.unmount();
      host.remove();
    }
  });

  test('a widget inside a shadow root that cannot load leaves the keyboard in the page’s own field', async () => {
    stub.routes['POST /api/checkout/sessions'] = { status: 500, body: {} };
    const field = document.createElement('input');
    const host = document.createElement('div');
    document.body.append(field, host);
    const shadow = host.attachShadow({ mode: 'open' });
    const el = document.createElement('div');
    shadow.append(el);
    field.focus();
    const h = mount(el, { endpoint: ENDPOINT, item: 'tee' });
    try {
      await waitFor(() => expect(el.querySelector('.cc-notice')).not.toBeNull());
      expect(document.activeElement).toBe(field);
    } finally {
      h.unmount();
      host.remove();
      field.remove();
    }
  });

  test('a widget inside a shadow root gets its style there, where the page’s CSS cannot reach', async () => {
    const host = document.createElement('div');
    document.body.append(host);
    const shadow = host.attachShadow({ mode: 'open' });
    const el = document.createElement('div');
    shadow.append(el);
    const h = mount(el, { endpoint: ENDPOINT, item: 'tee', nonce: 'sh4d0w' });
    try {
      await waitFor(() => expect(el.querySelector('.cc-pay')).not.toBeNull());
      const inside = shadow.querySelectorAll('style[data-cyber-checkout]');
      expect(inside).toHaveLength(1);
      expect(inside[0]?.getAttribute('nonce')).toBe('sh4d0w');
      // Once per shadow root: a second mount there adds none.
      h.update({ theme: 'dark' });
      expect(shadow.querySelectorAll('style[data-cyber-checkout]')).toHaveLength(1);
    } finally {
      h.unmount();
      host.remove();
    }
  });
});

describe('bad configuration is loud and visible, never a blank box', () => {
  test.each([
    [{ item: 'tee' }, 'CyberCheckout: endpoint is required'],
    [
      { endpoint: 'ftp://shop.example', item: 'tee' },
      'CyberCheckout: endpoint must be an https:// URL',
    ],
    [
      { endpoint: 'http://shop.example', item: 'tee' },
      'CyberCheckout: endpoint must be an https:// URL',
    ],
    [{ endpoint: ENDPOINT }, 'CyberCheckout: item is required'],
    [
      { endpoint: ENDPOINT, item: 'tee', theme: 'pink' },
      'CyberCheckout: theme must be light, dark or auto',
    ],
    [
      { endpoint: ENDPOINT, item: 'tee', amount: 12.5 },
      'CyberCheckout: amount must be a positive whole number of minor units',
    ],
    [
      { endpoint: ENDPOINT, item: 'tee', locale: 'not a tag' },
      'CyberCheckout: locale must be a language tag (fr-CA)',
    ],
  ])('%o', (options, message) => {
    const log = vi.spyOn(console, 'error').mockImplementation(() => {});
    const el = document.createElement('div');
    document.body.append(el);
    mount(el, options as never);
    expect(log).toHaveBeenCalledWith(message);
    expect(el.querySelector('[role=alert]')?.textContent).toBe(
      `Checkout unavailable: ${message.slice(15)}.`,
    );
    // English on any page: a French screen reader switches to an English voice for it.
    expect(el.querySelector('[role=alert]')?.getAttribute('lang')).toBe('en');
    expect(stub.requests).toHaveLength(0);
  });

  test('a bad option at mount() or update() is reported as config_error, both ways', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    const el = document.createElement('div');
    document.body.append(el);
    const seen: unknown[] = [];
    el.addEventListener('checkout:error', (e) => seen.push(['event', (e as CustomEvent).detail]));
    const onError = (d: unknown) => seen.push(['callback', d]);
    const h = mount(el, { endpoint: ENDPOINT, item: 'tee', theme: 'pink', onError } as never);
    const bad = { code: 'config_error', message: 'theme must be light, dark or auto' };
    expect(seen).toEqual([
      ['callback', bad],
      ['event', bad],
    ]);
    h.update({ theme: 'dark' });
    await ready(el);
    h.update({ amount: 12.5 });
    expect(seen.at(-1)).toEqual([
      'event',
      { code: 'config_error', message: 'amount must be a positive whole number of minor units' },
    ]);
    expect(el.querySelector('[role=alert]')).not.toBeNull();
  });

  test('an item missing from the catalog', async () => {
    const log = vi.spyOn(console, 'error').mockImplementation(() => {});
    const { el, events } = mountWidget({ item: 'nope' });
    await waitFor(() => expect(el.querySelector('[role=alert]')).not.toBeNull());
    expect(log.mock.calls[0]?.[0]).toBe('CyberCheckout: item "nope" is not in the catalog');
    expect(events.at(-1)?.detail).toMatchObject({ code: 'config_error' });
  });

  test.each([1, 100001])('a fixed amount outside the item’s bounds (%i)', async (amount) => {
    const log = vi.spyOn(console, 'error').mockImplementation(() => {});
    const { el } = mountWidget({ item: 'donation', amount });
    await waitFor(() => expect(el.querySelector('[role=alert]')).not.toBeNull());
    expect(log.mock.calls[0]?.[0]).toBe('CyberCheckout: amount must be 100 to 100000');
  });

  test('fixing the options with update() mounts the widget', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    const el = document.createElement('div');
    document.body.append(el);
    const h = mount(el, { endpoint: ENDPOINT } as never);
    h.update({ item: 'tee' });
    await ready(el);
  });
});
