/**
 * @module What the widget adds to the page's types: `window.CyberCheckout` (the script-tag
 * build) and the `checkout:*` events on the mounted element, so `el.addEventListener(
 * 'checkout:ready', (e) => e.detail.item)` type-checks. Declarations only: no bytes in a bundle.
 */
import type { PaymentResult } from './api/types.ts';
import type { CheckoutHandle } from './mount.tsx';
import type { ChangeDetail, CheckoutOptions, ErrorDetail, ReadyDetail } from './options.ts';

declare global {
  interface Window {
    CyberCheckout?: {
      mount(element: HTMLElement, options: CheckoutOptions): CheckoutHandle;
      version: string;
    };
  }
  interface HTMLElementEventMap {
    'checkout:ready': CustomEvent<ReadyDetail>;
    'checkout:change': CustomEvent<ChangeDetail>;
    'checkout:success': CustomEvent<PaymentResult>;
    'checkout:error': CustomEvent<ErrorDetail>;
  }
}
