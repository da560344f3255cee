/**
 * @module Entry of the emulated `flex-microform.min.js`: runs in the merchant page.
 *
 * Exposes the global `Flex` like the real bundle. This side never touches card data; see
 * `internal/` for the code that runs in the field iframes.
 */
import { MicroformError } from '../shared/errors.ts';
import { Flex } from './flex.ts';

declare global {
  interface Window {
    Flex: typeof Flex;
    MicroformError: typeof MicroformError;
  }
}

window.Flex = Flex;
window.MicroformError = MicroformError;
