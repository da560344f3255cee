/** @module A merchant mistake: named in the console and shown in place of the widget, never a blank box. */
import { render } from 'preact';
import { fire } from '../events.ts';

/**
 * Logs and shows `name message` (`data-amount must be …`) in `el` (`quiet`: not shown, the
 * widget stays), and reports it as a `config_error` to `opts.onError` and `checkout:error`
 * (DESIGN.md "Widget": events both ways).
 */
export function showMisconfigured(
  el: HTMLElement,
  name: string,
  message: string,
  opts: object = {},
  quiet?: boolean,
): void {
  const text = `${name} ${message}`;
  console.error(`CyberCheckout: ${text}`);
  quiet ||
    render(
      // English whatever the page: read with an English voice (WCAG 3.1.2).
      <p class="cc cc-notice" role="alert" lang="en">
        Checkout unavailable: {text}.
      </p>,
      el,
    );
  fire(el, opts, 'Error', { code: 'config_error', message: text });
}
