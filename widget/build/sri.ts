/**
 * @module The published Subresource Integrity hash of each `checkout.js` build (RELIABILITY-FACTS
 * §1.3: our widget is a script on the payment page, so it is in the merchant's PCI DSS 6.4.3
 * inventory and must be integrity-pinned). Writes `dist/widget/checkout.js.sri` and prints the
 * `<script>` snippet a merchant pastes. Run after `npm run build:widget`:
 *
 *   npm run sri -- --base-url https://pay.shop.example
 */
import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { VERSION } from '../version.ts';

/** The `integrity` value of `bytes`: sha384, base64 (W3C SRI; what browsers check at least). */
export function sriOf(bytes: Uint8Array): string {
  return `sha384-${createHash('sha384').update(bytes).digest('base64')}`;
}

const escapeAttr = (v: string) =>
  v.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

/** The tag a merchant pastes. `crossorigin` is needed for SRI on a cross-origin script. */
export function scriptSnippet(o: { src: string; integrity: string; endpoint: string }): string {
  return [
    `<script src="${escapeAttr(o.src)}"`,
    `        integrity="${escapeAttr(o.integrity)}"`,
    '        crossorigin="anonymous"',
    `        data-endpoint="${escapeAttr(o.endpoint)}"`,
    '        data-item="tshirt" async></script>',
  ].join('\n');
}

/**
 * The stub's address of this build of checkout.js (server-stub/http/routes/widget.ts): under its
 * SHA-384 in base64url, the digest `integrity` carries in base64. Cached by browsers for a year
 * (a new build is a new address), so a returning shopper's page runs the widget with no request.
 */
export function buildPath(bytes: Uint8Array): string {
  return `/widget/${createHash('sha384').update(bytes).digest('base64url')}/checkout.js`;
}

/** Hashes `dir/checkout.js`, writes `checkout.js.sri` beside it, returns hash, URL and snippet. */
export async function publishSri(dir: string, baseUrl: string) {
  const bytes = await readFile(join(dir, 'checkout.js'));
  const integrity = sriOf(bytes);
  await writeFile(join(dir, 'checkout.js.sri'), `${integrity}\n`);
  const base = baseUrl.replace(/\/+$/, '');
  const src = `${base}${buildPath(bytes)}`;
  return { integrity, src, snippet: scriptSnippet({ src, integrity, endpoint: base }) };
}

if (process.argv[1] && resolve(process.argv[1]) === import.meta.filename) {
  const { values } = parseArgs({
    options: {
      'base-url': {
        type: 'string',
        default: process.env.CHECKOUT_PUBLIC_URL ?? 'http://localhost:3000',
      },
      dir: { type: 'string', default: resolve(import.meta.dirname, '../../dist/widget') },
    },
  });
  const { integrity, snippet } = await publishSri(values.dir, values['base-url']);
  process.stdout.write(`checkout.js ${VERSION} ${integrity}\n\n${snippet}\n`);
}
