/**
 * @module Script-tag integration: `<script src=".../checkout.js" data-endpoint data-item async>`.
 * Reads only an allow-list of `data-*` attributes (braintree-web-drop-in
 * `create-from-script-tag.js`, STYLE-ANCHORS §6) and mounts into `data-container` or right
 * after the tag.
 */
import { type CheckoutHandle, mountWith } from '../mount.tsx';
import { showMisconfigured } from '../ui/misconfigured.tsx';

/** The allow-list: these options, as `data-*` attributes. Nothing else on the tag is read. */
const KEYS = ['endpoint', 'item', 'amount', 'locale', 'theme', 'saveCard'];

/** `saveCard` → `data-save-card`; other names (nonce, callbacks) stay as they are. */
const attribute = (key: string) =>
  key === 'saveCard' ? 'data-save-card' : KEYS.includes(key) ? `data-${key}` : key;

/** Attribute strings to option values; anything unparseable goes on for the parser to name. */
export function optionsFromScript(script: HTMLOrSVGScriptElement): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of KEYS) {
    const v = script.getAttribute(attribute(key));
    if (v !== null)
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
export async function autoMount(
  script: HTMLOrSVGScriptElement | null,
): Promise<CheckoutHandle | undefined> {
  if (!script?.matches('[data-endpoint],[data-item]')) return undefined;
  const doc = script.ownerDocument;
  // An async tag in <head> can run before its container is parsed.
  if (doc.readyState === 'loading')
    await new Promise((go) => doc.addEventListener('DOMContentLoaded', go, { once: true }));
  const sel = script.getAttribute('data-container');
  let found: Element | null = null;
  try {
    found = sel === null ? null : doc.querySelector(sel);
  } catch {}
  if (found instanceof HTMLElement) return mountWith(found, optionsFromScript(script), attribute);
  const div = doc.createElement('div');
  // Right after a tag in <body>; a tag in <head> has no place to show a checkout (it would
  // load there unseen), so it says where the message must go instead, at the end of the page.
  const inBody = doc.body?.contains(script);
  inBody ? script.after(div) : doc.body?.append(div);
  if (sel === null && inBody) return mountWith(div, optionsFromScript(script), attribute);
  showMisconfigured(
    div,
    'data-container',
    sel === null ? 'is required for a tag in <head>' : `"${sel}" matches no element`,
  );
  return undefined;
}
