/**
 * @module A bare page showing the raw emulated Microform (no widget), for manual checks.
 *
 * It takes a capture context from `?captureContext=` or the form, loads the library from the
 * context's `clientLibrary` with its SRI hash exactly as CyberSource's sample does
 * (API-FACTS §5.3), and shows `change` events and the token. The page is on the emulator's own
 * origin, so the capture context's `targetOrigins` must include that origin, and the page is
 * same-origin with the field iframes: fine for poking at the fields, not a security demo.
 */

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export function demoPageHtml(captureContext: string | undefined, origin: string): string {
  const context = captureContext ?? '';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Emulated Microform v2: bare demo</title>
<style>
body { font: 15px/1.4 sans-serif; max-width: 40rem; margin: 2rem auto; }
.box { border: 1px solid #999; height: 38px; padding: 0 6px; margin: 4px 0 12px; }
.flex-microform-focused { border-color: #1a73e8; }
.flex-microform-invalid { border-color: #c00; }
textarea { width: 100%; height: 6rem; font: 11px monospace; }
pre { background: #f4f4f4; padding: 8px; white-space: pre-wrap; word-break: break-all; }
</style>
</head>
<body>
<h1>Emulated Microform v2</h1>
<form method="get">
<label>Capture context (its targetOrigins must include ${escapeHtml(origin)})
<textarea name="captureContext">${escapeHtml(context)}</textarea></label>
<button>Load</button>
</form>
<label id="number-label">Card number</label><div id="number" class="box"></div>
<label id="cvn-label">Security code</label><div id="securityCode" class="box"></div>
<label>Expiry <input id="month" value="12" size="2"> / <input id="year" value="2031" size="4"></label>
<button id="pay" type="button">Create token</button>
<pre id="out"></pre>
<script src="/microform/v2/demo.js" data-library-origin="${escapeHtml(new URL(origin).origin)}"></script>
</body>
</html>
`;
}

/**
 * The page's own scripts, and the emulator's library and field iframes, nothing else: the
 * capture context in the URL is unverified, and the control API shares this origin. Inline
 * styles only (the `<style>` above).
 */
export function demoPageCsp(publicUrl: string): string {
  const own = `'self' ${new URL(publicUrl).origin}`;
  return [
    `default-src ${own}`,
    `script-src ${own}`,
    "style-src 'unsafe-inline'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** The demo's script: kept out of the HTML so the page needs no inline script. */
export const DEMO_SCRIPT = `(() => {
  const out = document.getElementById('out');
  const log = (label, value) => { out.textContent = label + ': ' + JSON.stringify(value, null, 2) + '\\n' + out.textContent; };
  const libraryOrigin = document.currentScript.dataset.libraryOrigin;
  const jwt = new URLSearchParams(location.search).get('captureContext');
  if (!jwt) return;
  let data;
  try { data = JSON.parse(atob(jwt.split('.')[1].replace(/-/g, '+').replace(/_/g, '/'))).ctx[0].data; }
  catch (e) { log('error', 'not a capture context'); return; }
  // The context is read unverified (a link can carry any): its library must be this emulator's,
  // or a link would run a script of its choosing on this origin, the control API's.
  const from = new URL(data.clientLibrary, location.href).origin;
  if (from !== location.origin && from !== libraryOrigin) {
    log('error', 'refused: the capture context names a library on ' + from + ', not this emulator');
    return;
  }
  const script = document.createElement('script');
  script.src = data.clientLibrary;
  script.integrity = data.clientLibraryIntegrity;
  script.crossOrigin = 'anonymous';
  script.onerror = () => log('error', 'library failed to load (SRI?)');
  script.onload = () => {
    try {
      const microform = new Flex(jwt).microform('card', { styles: { input: { 'font-size': '16px' } } });
      const number = microform.createField('number', { placeholder: '4111 1111 1111 1111' });
      const securityCode = microform.createField('securityCode', { placeholder: '•••' });
      for (const [name, field] of [['number', number], ['securityCode', securityCode]]) {
        for (const type of ['load', 'change', 'autocomplete', 'error']) field.on(type, (d) => log(name + ' ' + type, d ?? null));
      }
      number.load('#number');
      securityCode.load('#securityCode');
      document.getElementById('pay').onclick = () => microform.createToken(
        { expirationMonth: document.getElementById('month').value, expirationYear: document.getElementById('year').value },
        (err, token) => log(err ? 'createToken error' : 'token', err ?? token));
    } catch (e) { log('error', e); }
  };
  document.head.appendChild(script);
})();
`;
