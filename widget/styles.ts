/**
 * @module Puts the widget's CSS into the page once per document, as a `<style>` element that
 * carries the merchant's CSP nonce when given one (style-src 'nonce-…'), never as `style=`
 * attributes. See README "CSP".
 */
import css from './widget.css?inline';

const MARK = 'data-cyber-checkout';

export function injectStyles(doc: Document, nonce?: string): void {
  if (doc.querySelector(`style[${MARK}]`)) return;
  const el = doc.createElement('style');
  el.setAttribute(MARK, '');
  if (nonce) el.setAttribute('nonce', nonce);
  el.textContent = css;
  doc.head.appendChild(el);
}
