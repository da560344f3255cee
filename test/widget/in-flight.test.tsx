// @vitest-environment happy-dom
/**
 * A payment in flight or unconfirmed ("confirming") is never lost: `update()` waits for its
 * outcome instead of restarting the checkout, and leaving the page asks first.
 */
import { describe, expect, test, vi } from 'vitest';
import { mount } from '../../widget/mount.tsx';
import type { FlexWorld } from './fake-flex.ts';
import {
  ENDPOINT,
  eachTest,
  type FakeStub,
  fillValid,
  fireEvent,
  mountWidget,
  paid,
  payButton,
  type Recorded,
  type Reply,
  ready,
  waitFor,
} from './harness.ts';

let stub: FakeStub;
let world: FlexWorld;

eachTest((t) => ({ stub, world } = t));

/** Payment answers the test releases by hand, in order. */
function heldPayments() {
  const waiting: ((reply: (req: Recorded) => Reply) => void)[] = [];
  stub.routes['POST /api/checkout/payments'] = (req) =>
    new Promise<Reply>((resolve) => waiting.push((reply) => resolve(reply(req))));
  return {
    answer: async (reply: (req: Recorded) => Reply) => {
      await waitFor(() => expect(waiting.length).toBeGreaterThan(0));
      waiting.shift()?.(reply);
    },
  };
}

/** A mounted widget whose new-card payment has been sent and awaits its answer. */
async function paying() {
  const mounted = mountWidget();
  await ready(mounted.el);
  fillValid(mounted.el, world);
  fireEvent.click(payButton(mounted.el));
  await waitFor(() => expect(stub.calls('POST', '/api/checkout/payments')).toHaveLength(1));
  return mounted;
}

const liveRegion = (el: HTMLElement) => el.querySelector('[role=status]')?.textContent ?? '';
const ok = (req: Recorded): Reply => ({ status: 201, body: paid(req) });

describe('update() while a payment is in flight or unconfirmed', () => {
  test('a new item while "Processing…" waits: the payment’s receipt and success are shown, no restart', async () => {
    const pays = heldPayments();
    const { el, handle, events, callbacks } = await paying();
    handle.update({ item: 'plan-monthly', locale: 'fr' });
    expect(payButton(el).textContent).toBe('Processing…');
    await pays.answer(ok);
    await waitFor(() => expect(el.querySelector('.cc-done')).not.toBeNull());
    expect(el.querySelector('.cc-done')?.textContent).toBe(
      'Payment successful. $25.00 paid with Visa ending 1111.',
    );
    expect(liveRegion(el)).toContain('Payment successful.');
    expect(events.filter((e) => e.type === 'checkout:success')).toHaveLength(1);
    expect(callbacks.filter((c) => c.name === 'success')).toHaveLength(1);
    // Nothing restarted, now or later: the receipt stays.
    await new Promise((r) => setTimeout(r, 20));
    expect(stub.sessions).toBe(1);
    expect(stub.calls('GET', '/api/catalog')).toHaveLength(1);
    expect(el.querySelector('.cc-done')).not.toBeNull();
    // A later update applies as usual.
    handle.update({ item: 'tee', locale: 'en' });
    await ready(el);
    expect(stub.sessions).toBe(2);
  });

  test('a new item while "confirming" waits for Check again; its success is reported', async () => {
    const pays = heldPayments();
    const { el, handle, events } = mountWidget();
    await ready(el);
    fillValid(el, world);
    fireEvent.click(payButton(el));
    await pays.answer(() => ({
      status: 202,
      body: { error: { code: 'payment_outcome_unknown' } },
    }));
    await waitFor(() => expect(el.textContent).toContain('We are confirming your payment.'));
    handle.update({ item: 'plan-monthly' });
    await new Promise((r) => setTimeout(r, 20));
    expect(stub.sessions).toBe(1);
    expect(el.querySelector('.cc-notice')?.textContent).toBe(
      'We are confirming your payment. Do not pay again. Check again',
    );
    fireEvent.click(el.querySelector('.cc-notice button') as HTMLElement);
    await pays.answer(ok);
    await waitFor(() => expect(el.querySelector('.cc-done')).not.toBeNull());
    expect(events.filter((e) => e.type === 'checkout:success')).toHaveLength(1);
    const keys = stub
      .calls('POST', '/api/checkout/payments')
      .map((r) => r.headers['Idempotency-Key']);
    expect(new Set(keys).size).toBe(1);
    expect(stub.sessions).toBe(1);
    // The page names the held item again (its radio was left on it): that checkout starts,
    // the receipt shown being the T-shirt's, not the plan's.
    handle.update({ item: 'plan-monthly' });
    await ready(el);
    expect(payButton(el).textContent).toBe('Pay $12.00 / month');
  });

  test('a decline after a held update: the new item loads, the decline stays shown and focused', async () => {
    const pays = heldPayments();
    const { el, handle, events } = await paying();
    handle.update({ item: 'plan-monthly' });
    await pays.answer(() => ({
      status: 402,
      body: { error: { code: 'card_declined', reason: 'INSUFFICIENT_FUND' } },
    }));
    await waitFor(() => expect(payButton(el).textContent).toBe('Pay $12.00 / month'));
    // Same shop, same language: the card fields and their session stay.
    expect(stub.sessions).toBe(1);
    const notice = el.querySelector('.cc-notice');
    expect(notice?.textContent).toBe('Insufficient funds. Try another card.');
    // Focusable by script only (a browser focuses no plain div), and out of the tab order.
    expect(notice?.getAttribute('tabindex')).toBe('-1');
    expect(document.activeElement).toBe(notice);
    expect(events.filter((e) => e.type === 'checkout:error').at(-1)?.detail).toMatchObject({
      code: 'card_declined',
    });
  });
});

test.each([
  [202, 'payment_under_review', 'Your payment is being reviewed.'],
  [409, 'payment_in_progress', 'We are still confirming your previous payment.'],
])(
  'after %i %s (nothing more will come to this form) an update applies',
  async (status, code, said) => {
    stub.routes['POST /api/checkout/payments'] = { status, body: { error: { code } } };
    const { el, handle } = mountWidget();
    await ready(el);
    fillValid(el, world);
    fireEvent.click(payButton(el));
    await waitFor(() => expect(el.querySelector('.cc-notice')?.textContent).toContain(said));
    const e = new Event('beforeunload', { cancelable: true });
    window.dispatchEvent(e);
    expect(e.defaultPrevented).toBe(false);
    handle.update({ item: 'plan-monthly' });
    await waitFor(() => expect(payButton(el).textContent).toBe('Pay $12.00 / month'));
    handle.unmount();
  },
);

test('an invalid option while "Processing…" is reported, and the payment’s receipt still shows', async () => {
  const pays = heldPayments();
  const error = vi.spyOn(console, 'error').mockImplementation(() => undefined);
  const { el, handle, events } = mountWidget({ item: 'donation', amount: 500 });
  await ready(el);
  fillValid(el, world);
  fireEvent.click(payButton(el));
  await waitFor(() => expect(stub.calls('POST', '/api/checkout/payments')).toHaveLength(1));
  handle.update({ amount: -5 });
  expect(error).toHaveBeenCalledWith(expect.stringMatching(/^CyberCheckout: amount /));
  expect(events.at(-1)).toMatchObject({
    type: 'checkout:error',
    detail: { code: 'config_error' },
  });
  expect(payButton(el).textContent).toBe('Processing…');
  await pays.answer(ok);
  await waitFor(() => expect(el.querySelector('.cc-done')).not.toBeNull());
  expect(events.filter((e) => e.type === 'checkout:success')).toHaveLength(1);
  handle.unmount();
});

test('a change to the saved cards while "confirming" keeps the notice, its Check again and the prompt', async () => {
  stub.routes['GET /api/payment-methods'] = {
    status: 200,
    body: {
      paymentMethods: [
        { id: 'pi-visa', brand: 'VISA', last4: '1111', isDefault: false },
        { id: 'pi-amex', brand: '003', last4: '0005', isDefault: true },
      ],
    },
  };
  stub.routes['PUT /api/payment-methods/*'] = { status: 200, body: {} };
  stub.routes['POST /api/checkout/payments'] = {
    status: 202,
    body: { error: { code: 'payment_outcome_unknown' } },
  };
  const { el, handle } = mountWidget();
  await waitFor(() => expect(payButton(el).disabled).toBe(false));
  fireEvent.click(payButton(el));
  const confirming = 'We are confirming your payment. Do not pay again. Check again';
  await waitFor(() => expect(el.querySelector('.cc-notice')?.textContent).toBe(confirming));
  const makeDefault = [...el.querySelectorAll('button')].find((b) =>
    b.textContent?.startsWith('Make default'),
  ) as HTMLElement;
  fireEvent.click(makeDefault);
  await waitFor(() =>
    expect(stub.calls('PUT', '/api/payment-methods/pi-visa/default')).toHaveLength(1),
  );
  await waitFor(() => expect(liveRegion(el)).toBe('Default card updated.'));
  expect(el.querySelector('.cc-notice')?.textContent).toBe(confirming);
  const e = new Event('beforeunload', { cancelable: true });
  window.dispatchEvent(e);
  expect(e.defaultPrevented).toBe(true);
  handle.unmount();
});

describe('leaving the page while a payment runs', () => {
  const leave = () => {
    const e = new Event('beforeunload', { cancelable: true });
    window.dispatchEvent(e);
    return e.defaultPrevented;
  };

  test('asks only while "Processing…" or "confirming", not before, not after the outcome', async () => {
    const pays = heldPayments();
    const { el } = mountWidget();
    await ready(el);
    expect(leave()).toBe(false);
    fillValid(el, world);
    fireEvent.click(payButton(el));
    await waitFor(() => expect(stub.calls('POST', '/api/checkout/payments')).toHaveLength(1));
    expect(leave()).toBe(true);
    await pays.answer(() => ({
      status: 202,
      body: { error: { code: 'payment_outcome_unknown' } },
    }));
    await waitFor(() => expect(el.textContent).toContain('We are confirming your payment.'));
    expect(leave()).toBe(true);
    fireEvent.click(el.querySelector('.cc-notice button') as HTMLElement);
    await pays.answer(ok);
    await waitFor(() => expect(el.querySelector('.cc-done')).not.toBeNull());
    expect(leave()).toBe(false);
  });

  test('not after a decline, and not after unmount', async () => {
    const pays = heldPayments();
    const { el, handle } = await paying();
    expect(leave()).toBe(true);
    await pays.answer(() => ({ status: 402, body: { error: { code: 'card_declined' } } }));
    await waitFor(() => expect(el.querySelector('.cc-notice')).not.toBeNull());
    expect(leave()).toBe(false);
    fireEvent.click(payButton(el));
    await waitFor(() => expect(stub.calls('POST', '/api/checkout/payments')).toHaveLength(2));
    expect(leave()).toBe(true);
    handle.unmount();
    // Its request still awaits the answer: the form and the guard stay until it comes.
    expect(leave()).toBe(true);
    await pays.answer(() => ({ status: 402, body: { error: { code: 'card_declined' } } }));
    await waitFor(() => expect(leave()).toBe(false));
  });
});

describe('unmount() and mount() again while a payment awaits its answer', () => {
  test('unmount keeps the form until the answer, which still reaches the callbacks and the events; then the widget is gone', async () => {
    const pays = heldPayments();
    const { el, handle, events, callbacks } = await paying();
    handle.unmount();
    expect(payButton(el).textContent).toBe('Processing…');
    await pays.answer(ok);
    await waitFor(() => expect(el.childElementCount).toBe(0));
    expect(events.filter((e) => e.type === 'checkout:success')).toHaveLength(1);
    expect(callbacks.filter((c) => c.name === 'success')).toHaveLength(1);
  });

  test("unmount() then mount() mid-payment (a framework's cleanup, then its effect) keeps the running checkout, and its answer reaches the page", async () => {
    const pays = heldPayments();
    const { el, handle, events } = await paying();
    handle.unmount();
    expect(mount(el, { endpoint: ENDPOINT, item: 'tee' })).toBe(handle);
    expect(payButton(el).textContent).toBe('Processing…');
    await pays.answer(ok);
    await waitFor(() => expect(el.querySelector('.cc-done')).not.toBeNull());
    // Taken over: not removed once answered.
    await new Promise((r) => setTimeout(r, 20));
    expect(el.querySelector('.cc-done')).not.toBeNull();
    expect(events.filter((e) => e.type === 'checkout:success')).toHaveLength(1);
    expect(stub.calls('POST', '/api/checkout/payments')).toHaveLength(1);
  });

  test('mounting again into the element keeps the running checkout (no second form to pay twice with), its options applied after the outcome', async () => {
    const pays = heldPayments();
    const { el, handle, events } = await paying();
    const again = mount(el, { endpoint: ENDPOINT, item: 'tee', locale: 'fr' });
    expect(again).toBe(handle);
    expect(el.querySelectorAll('form')).toHaveLength(1);
    expect(payButton(el).textContent).toBe('Processing…');
    await pays.answer(ok);
    await waitFor(() => expect(el.querySelector('.cc-done')).not.toBeNull());
    expect(events.filter((e) => e.type === 'checkout:success')).toHaveLength(1);
    expect(stub.calls('POST', '/api/checkout/payments')).toHaveLength(1);
  });
});
