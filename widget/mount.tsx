/**
 * @module `CyberCheckout.mount(element, options)`: one widget per element, events as option
 * callbacks and as `checkout:*` CustomEvents on the element (DESIGN.md "Widget").
 */
import { render } from 'preact';
import { str } from './api/guards.ts';
import { type Checkout, createCheckout } from './checkout/controller.tsx';
import { type CheckoutOptions, parseOptions } from './options.ts';
import { injectStyles } from './styles.ts';
import { showMisconfigured } from './ui/misconfigured.tsx';

export interface CheckoutHandle {
  /**
   * Merges new options. A new `endpoint` starts a new checkout; a new `item` or `locale` keeps
   * the loaded card fields and their session (a new language relabels them). While a payment is
   * in flight or being confirmed, the options wait for its outcome.
   */
  update(options: Partial<CheckoutOptions>): void;
  /**
   * Removes the widget and its Microform fields; the element can be mounted again. A payment
   * request awaiting its answer keeps the form until answered, so its outcome still reaches the
   * callbacks and the element's events (the card may have been charged).
   */
  unmount(): void;
}

/**
 * Each element's handle, and how a mount takes its checkout over mid-payment (false: not busy,
 * nothing taken).
 */
const mounted = new WeakMap<Element, [CheckoutHandle, (raw: Record<string, unknown>) => boolean]>();

/** Mount with `names` renaming options in messages (`item` → `data-item` for script tags). */
export function mountWith(
  el: HTMLElement,
  raw: Record<string, unknown>,
  names: (key: string) => string,
): CheckoutHandle {
  const [running, takeOver] = mounted.get(el) ?? [];
  // Mounted again mid-payment (a framework re-rendering, its cleanup's unmount() first or not):
  // the running checkout takes the new options once its outcome is known, as `update` does. A
  // fresh form beside a payment whose answer nobody would hear lets the shopper pay twice.
  if (running && takeOver?.(raw)) return running;
  running?.unmount();
  let checkout: Checkout | undefined;
  /** Unmounted, waiting for a payment's answer before it goes (unless a mount takes it over). */
  let leaving = false;

  const start = () => {
    const parsed = parseOptions(raw, names);
    // The nonce even when another option is wrong: the style stays, and a strict CSP would block
    // a style injected without it.
    injectStyles(el, str(raw.nonce));
    if (!parsed.ok) {
      // Mid-payment the form stays to show the outcome (charged, or not): the mistake is only said.
      const keep = checkout?.busy();
      if (!keep) checkout?.destroy();
      showMisconfigured(el, parsed.name, parsed.message, raw, keep);
    } else if (checkout) checkout.update(parsed.options);
    else {
      checkout = createCheckout(el, parsed.options, names);
      void checkout.start();
    }
  };
  const merge = (options: Record<string, unknown>) => {
    raw = { ...raw, ...options };
    start();
  };

  const handle: CheckoutHandle = {
    update(options) {
      if (!leaving && mounted.get(el)?.[0] === handle) merge(options);
    },
    unmount() {
      if (leaving || mounted.get(el)?.[0] !== handle) return;
      leaving = true;
      const c = checkout;
      const end = () => {
        if (!leaving) return; // taken over by a mount meanwhile
        c?.destroy();
        mounted.delete(el);
        render(null, el);
      };
      const answer = c?.sending();
      answer ? void answer.finally(end) : end();
    },
  };
  mounted.set(el, [
    handle,
    (options) => {
      if (!checkout?.busy()) return false;
      leaving = false;
      merge(options);
      return true;
    },
  ]);
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
