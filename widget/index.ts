/**
 * @module The ES module build (`checkout.mjs`): `mount` for bundlers and frameworks. The
 * script-tag build (`checkout.js`) exposes the same function as `window.CyberCheckout.mount`.
 */
import './global.ts';

export type { CatalogItem, PaymentMethod, PaymentResult } from './api/types.ts';
export { type CheckoutHandle, mount } from './mount.tsx';
export type { ChangeDetail, CheckoutOptions, ErrorDetail, ReadyDetail, Theme } from './options.ts';
export { VERSION as version } from './version.ts';
