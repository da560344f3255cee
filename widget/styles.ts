/**
 * @module Puts the widget's CSS into the page once per document, as a `<style>` element that
 * carries the merchant's CSP nonce when given one (style-src 'nonce-…'), never as `style=`
 * attributes. See README "CSP".
 */
import css from './widget.css?inline';

const MARK = 'data-cyber-checkout';

/**
 * Once per document, or per shadow root for a widget inside one (a page's CSS stops at its
 * boundary: styled in `<head>`, the widget there was bare); a style injected without a nonce (an
 * earlier widget had none) is replaced by one with the first nonce given, since a strict CSP
 * blocked it. `MARK` is `n` on a style with a nonce: browsers hide the nonce attribute itself
 * once the element is in the document.
 */
export function injectStyles(at: Element, nonce?: string): void {
  const doc = at.ownerDocument;
  const root = at.getRootNode();
  const shadow = root instanceof ShadowRoot && root;
  const old = (shadow || doc).querySelector(`style[${MARK}]`);
  if (old && (!nonce || old.getAttribute(MARK))) return;
  const el = doc.createElement('style');
  el.setAttribute(MARK, nonce ? 'n' : '');
  if (nonce) el.setAttribute('nonce', nonce);
  el.textContent = css;
  old ? old.replaceWith(el) : (shadow || doc.head).appendChild(el);
}
