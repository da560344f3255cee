/**
 * @module Puts the widget's CSS into the page once per document, as a `<style>` element that
 * carries the merchant's CSP nonce when given one (style-src 'nonce-…'), never as `style=`
 * attributes. See README "CSP".
 */
import css from './widget.css?inline';

const MARK = 'data-cyber-checkout';

/**
 * Once per document; a style injected without a nonce (an earlier widget had none) is replaced
 * by one with the first nonce given, since a strict CSP blocked it. `MARK` is `n` on a style with
 * a nonce: browsers hide the nonce attribute itself once the element is in the document.
 */
export function injectStyles(doc: Document, nonce?: string): void {
  const old = doc.querySelector(`style[${MARK}]`);
  if (old && (!nonce || old.getAttribute(MARK))) return;
  const el = doc.createElement('style');
  el.setAttribute(MARK, nonce ? 'n' : '');
  if (nonce) el.setAttribute('nonce', nonce);
  el.textContent = css;
  old ? old.replaceWith(el) : doc.head.appendChild(el);
}
