/** @module A merchant mistake: named in the console and shown in place of the widget, never a blank box. */
import { render } from 'preact';

/** Logs and shows `name message` (`data-amount must be …`) in `el`; returns that text. */
export function showMisconfigured(el: HTMLElement, name: string, message: string): string {
  const text = `${name} ${message}`;
  console.error(`CyberCheckout: ${text}`);
  render(
    <p class="cc cc-notice" role="alert">
      Checkout unavailable: {text}.
    </p>,
    el,
  );
  return text;
}
