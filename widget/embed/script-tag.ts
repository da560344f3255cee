/**
 * @module Script-tag integration: `<script src=".../checkout.js" data-endpoint data-item async>`.
 * Reads only an allow-list of `data-*` attributes (braintree-web-drop-in
 * `create-from-script-tag.js`, STYLE-ANCHORS §6) and mounts into `data-container` or right
 * after the tag.
 */
import { type CheckoutHandle, mountWith, showMisconfigured } from '../mount.tsx';

/** The allow-list: these options, as `data-*` attributes. Nothing else on the tag is read. */
const KEYS = ['endpoint', 'item', 'amount', 'locale', 'theme', 'saveCard'];

/** `saveCard` → `data-save-card`; other names (nonce, callbacks) stay as they are. */
const attribute = (key: string) =>
  KEYS.includes(key) ? `data-${key.replace(/[A-Z]/g, (m) => `-${m.toLowerCase()}`)}` : key;

/** Attribute strings to option values; anything unparseable goes on for the parser to name. */
export function optionsFromScript(script: HTMLScriptElement): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of KEYS) {
    const v = script.getAttribute(attribute(key));
    if (v === null) continue;
    out[key] =
      key === 'amount' && /^\d+$/.test(v)
        ? Number(v)
        : key === 'saveCard' && /^(|true|false)$/.test(v)
          ? v !== 'false'
          : v;
  }
  // Browsers hide the nonce attribute once parsed; the property keeps it (HTML "nonce" hiding).
  if (script.nonce) out.nonce = script.nonce;
  return out;
}

/** Auto-mount for the running tag; a tag with neither data-endpoint nor data-item only defines the API. */
export function autoMount(script: HTMLScriptElement | null): Promise<CheckoutHandle | undefined> {
  if (!script?.hasAttribute('data-endpoint') && !script?.hasAttribute('data-item'))
    return Promise.resolve(undefined);
  const doc = script.ownerDocument;
  return new Promise((resolve) => {
    const go = () => {
      const sel = script.getAttribute('data-container');
      let found: Element | null = null;
      try {
        found = sel === null ? null : doc.querySelector(sel);
      } catch {}
      if (found instanceof HTMLElement)
        return resolve(mountWith(found, optionsFromScript(script), attribute));
      const div = doc.createElement('div');
      script.after(div);
      if (sel === null) return resolve(mountWith(div, optionsFromScript(script), attribute));
      showMisconfigured(div, 'data-container', `"${sel}" matches no element`);
      resolve(undefined);
    };
    // An async tag in <head> can run before its container is parsed.
    if (doc.readyState === 'loading') doc.addEventListener('DOMContentLoaded', go, { once: true });
    else go();
  });
}
