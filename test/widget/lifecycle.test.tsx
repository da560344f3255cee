// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { REFRESH_LEAD_MS } from '../../widget/checkout/controller.tsx';
import { mount } from '../../widget/mount.tsx';
import type { FlexWorld } from './fake-flex.ts';
import {
  captureContext,
  ENDPOINT,
  type FakeStub,
  fillValid,
  fireEvent,
  LIBRARY,
  mountWidget,
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
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

/** Sessions that expire `ms` from now (the first one only, when `firstOnly`). */
function sessionsExpiringIn(ms: number, firstOnly = true) {
  stub.routes['POST /api/checkout/sessions'] = () => {
    stub.sessions++;
    const short = !firstOnly || stub.sessions === 1;
    return {
      status: 201,
      body: {
        sessionId: `sess-${stub.sessions}`,
        captureContext: captureContext(LIBRARY, stub.sessions),
        expiresAt: Date.now() + (short ? ms : 900_000),
        environment: 'sandbox',
      },
    };
  };
}

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

  test('an untouched form is refreshed silently: new session, new fields, no message', async () => {
    sessionsExpiringIn(60);
    const { el } = mountWidget();
    await ready(el);
    await waitFor(() => expect(stub.sessions).toBe(2));
    await ready(el);
    expect(world.contexts).toHaveLength(2);
    expect(world.fields.filter((f) => f.disposed)).toHaveLength(2);
    expect(el.querySelectorAll('[data-cc-field=number] .fake-iframe')).toHaveLength(1);
    expect(el.querySelector('.cc-notice')).toBeNull();
    fillValid(el, world);
    fireEvent.click(payButton(el));
    await waitFor(() => expect(stub.calls('POST', '/api/checkout/payments')).toHaveLength(1));
    expect(stub.calls('POST', '/api/checkout/payments')[0]?.body).toMatchObject({
      sessionId: 'sess-2',
    });
    expect(world.tokenCalls[0]?.captureContext).toBe(world.contexts[1]);
  });

  test('a refresh after the shopper typed asks to re-enter only the card fields', async () => {
    sessionsExpiringIn(150);
    const { el } = mountWidget();
    await ready(el);
    fillValid(el, world);
    await waitFor(() => expect(stub.sessions).toBe(2));
    await waitFor(() =>
      expect(el.querySelector('.cc-notice')?.textContent).toBe(
        'Please enter your card number and security code again.',
      ),
    );
    expect(el.querySelector<HTMLInputElement>('input[name=email]')?.value).toBe('ada@example.com');
  });

  test('createToken saying CAPTURE_CONTEXT_EXPIRED gets a new session and new fields, then pays', async () => {
    world.tokens.push({
      error: {
        name: 'MicroformError',
        reason: 'CAPTURE_CONTEXT_EXPIRED',
        message: 'Your capture context has expired.',
      },
    });
    const { el } = mountWidget();
    await ready(el);
    fillValid(el, world);
    fireEvent.click(payButton(el));
    await waitFor(() => expect(stub.sessions).toBe(2));
    await ready(el);
    expect(el.querySelector('.cc-notice')?.textContent).toBe(
      'Please enter your card number and security code again.',
    );
    expect(stub.calls('POST', '/api/checkout/payments')).toHaveLength(0);
    world.typeCard();
    fireEvent.click(payButton(el));
    await waitFor(() => expect(el.querySelector('.cc-done')).not.toBeNull());
    expect(stub.calls('POST', '/api/checkout/payments')[0]?.body).toMatchObject({
      sessionId: 'sess-2',
      transientToken: 'transient-2',
    });
  });
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

  test('update(): a new item starts over; a new amount just re-renders', async () => {
    const { el, handle } = mountWidget({ item: 'donation', amount: 500 });
    await ready(el);
    handle.update({ amount: 700 });
    expect(payButton(el).textContent).toBe('Pay $7.00');
    expect(stub.sessions).toBe(1);
    handle.update({ item: 'tee' });
    await waitFor(() => expect(stub.sessions).toBe(2));
    await ready(el);
    expect(payButton(el).textContent).toBe('Pay $25.00');
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
      'CyberCheckout: amount must be a whole number of minor units',
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
    expect(stub.requests).toHaveLength(0);
  });

  test('an item missing from the catalog', async () => {
    const log = vi.spyOn(console, 'error').mockImplementation(() => {});
    const { el, events } = mountWidget({ item: 'nope' });
    await waitFor(() => expect(el.querySelector('[role=alert]')).not.toBeNull());
    expect(log.mock.calls[0]?.[0]).toBe('CyberCheckout: item "nope" is not in the catalog');
    expect(events.at(-1)?.detail).toMatchObject({ code: 'config_error' });
  });

  test('a fixed amount outside the item’s bounds', async () => {
    const log = vi.spyOn(console, 'error').mockImplementation(() => {});
    const { el } = mountWidget({ item: 'donation', amount: 1 });
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
