/**
 * @module The HTML document of a field iframe (served from the emulator's origin).
 *
 * Static: everything the field needs arrives in the URL fragment, which never reaches the
 * server. The CSP keeps the only script the emulator's own, and lets the iframe talk to its
 * own origin only (public key, tokens endpoint).
 */
export const FIELD_SCRIPT_PATH = '/microform/v2/iframe/field.js';

export const FIELD_PAGE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "connect-src 'self'",
  "style-src 'unsafe-inline'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

export const FIELD_PAGE_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="referrer" content="no-referrer">
<title>Secure payment field</title>
<style>
html, body, .field-root { margin: 0; padding: 0; height: 100%; background: transparent; overflow: hidden; }
input.field { box-sizing: border-box; width: 100%; height: 100%; margin: 0; padding: 0; border: 0; outline: 0;
  background: transparent; font: 16px sans-serif; color: #333; }
.autocomplete { position: absolute; left: -9999px; top: 0; width: 1px; height: 1px; opacity: 0; }
.field-description { position: absolute; left: -9999px; }
.refusal { margin: 0; font: 12px/1.3 sans-serif; color: #a94442; overflow: auto; height: 100%; }
</style>
</head>
<body>
<script src="${FIELD_SCRIPT_PATH}"></script>
</body>
</html>
`;
