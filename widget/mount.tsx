/**
 * @module `CyberCheckout.mount(element, options)`: one widget per element, events as option
 * callbacks and as `checkout:*` CustomEvents on the element (DESIGN.md "Widget").
 */
import { render } from 'preact';
import { type Checkout, createCheckout, type EventName } from './checkout/controller.ts';
import { type CheckoutOptions, parseOptions } from './options.ts';
import { injectStyles } from './styles.ts';
import { App } from './ui/app.tsx';

export interface CheckoutHandle {
  /** Merges new options; a new `endpoint`, `item` or `locale` starts a new checkout. */
  update(options: Partial<CheckoutOptions>): void;
  /** Removes the widget and its Microform fields; the element can be mounted again. */
  unmount(): void;
}

const CALLBACKS = {
  ready: 'onReady',
  change: 'onChange',
  success: 'onSuccess',
  error: 'onError',
} as const;

const mounted = new WeakMap<Element, CheckoutHandle>();

/** A merchant mistake: named in the console and shown in place of the widget, never a blank box. */
export function showMisconfigured(el: HTMLElement, name: string, message: string): void {
  console.error(`CyberCheckout: ${name} ${message}`);
  render(
    <p class="cc cc-notice" role="alert">
      Checkout unavailable: {name} {message}.
    </p>,
    el,
  );
}

/** Mount with `names` renaming options in messages (`item` → `data-item` for script tags). */
export function mountWith(
  el: HTMLElement,
  raw: Record<string, unknown>,
  names: (key: string) => string,
): CheckoutHandle {
  mounted.get(el)?.unmount();
  let current = raw;
  let checkout: Checkout | undefined;

  const emit = (opts: CheckoutOptions, name: EventName, detail: unknown) => {
    const cb = opts[CALLBACKS[name]];
    try {
      // The detail shapes are the ones documented per event; the callback is the merchant's.
      cb?.(detail as never);
    } catch (e) {
      // A merchant callback that throws must not break the checkout.
      console.error(e);
    }
    el.dispatchEvent(new CustomEvent(`checkout:${name}`, { detail, bubbles: true }));
  };

  const start = () => {
    const parsed = parseOptions(current, names);
    injectStyles(el.ownerDocument, parsed.ok ? parsed.options.nonce : undefined);
    if (!parsed.ok) {
      checkout?.destroy();
      checkout = undefined;
      return showMisconfigured(el, parsed.name, parsed.message);
    }
    if (checkout) return checkout.update(parsed.options);
    const c: Checkout = createCheckout(el, parsed.options, {
      render: () => checkout === c && render(<App c={c} />, el),
      emit: (name, detail) => emit(c.opts, name, detail),
      misconfigured: (name, message) => {
        c.destroy();
        checkout = undefined;
        showMisconfigured(el, names(name), message);
        emit(c.opts, 'error', { code: 'config_error', message: `${names(name)} ${message}` });
      },
    });
    checkout = c;
    void c.start();
  };

  const handle: CheckoutHandle = {
    update(options) {
      if (mounted.get(el) !== handle) return;
      current = { ...current, ...options };
      start();
    },
    unmount() {
      if (mounted.get(el) !== handle) return;
      checkout?.destroy();
      checkout = undefined;
      render(null, el);
      mounted.delete(el);
    },
  };
  mounted.set(el, handle);
  start();
  return handle;
}

/**
 * Mounts a checkout into `element`; mounting again into the same element replaces the first.
 *
 * @example
 * const checkout = CyberCheckout.mount(document.querySelector('#pay'), {
 *   endpoint: 'https://shop.example',
 *   item: 'plan-monthly',
 *   onSuccess: (result) => location.assign(`/thanks?payment=${result.payment.id}`),
 * });
 */
export function mount(element: HTMLElement, options: CheckoutOptions): CheckoutHandle {
  if (!(element instanceof HTMLElement))
    throw new TypeError('CyberCheckout.mount: element must be an HTMLElement');
  return mountWith(element, { ...options }, (k) => k);
}
