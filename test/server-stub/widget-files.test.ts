/**
 * The stub serves the built widget at /widget/ (server-stub/http/routes/widget.ts): what a
 * merchant page's one `<script src=… integrity=… crossorigin>` tag on another origin loads.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPath } from '../../widget/build/sri.ts';
import { type Harness, harness } from './harness.ts';

let h: Harness;
let dir: string;
const BUNDLE = '(()=>{window.CyberCheckout={}})();\n';
/** A language file as the build writes one: messages, compressible like the real ones. */
const GERMAN = `(()=>{${Array.from({ length: 60 }, (_, i) => `m${i}:"Bitte geben Sie die Kartennummer ${i} ein",`).join('')}})();\n`;
/** What Chromium sends for a script. */
const BROWSER = 'gzip, deflate, br, zstd';

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'stub-widget-'));
  await writeFile(join(dir, 'checkout.js'), BUNDLE);
  await writeFile(join(dir, 'checkout.mjs'), 'export {};\n');
  await writeFile(join(dir, 'checkout.js.map'), '{}');
  await writeFile(join(dir, 'checkout.de.js'), GERMAN);
  h = await harness({ widgetDir: dir });
});
afterAll(async () => {
  await h.close();
  await rm(dir, { recursive: true, force: true });
});

const get = (path: string, headers: Record<string, string> = {}) =>
  h.stub.app.request(`http://localhost:3000${path}`, { headers });

describe('the widget bundle at /widget/', () => {
  it('serves checkout.js to any origin, revalidated on every load', async () => {
    const res = await get('/widget/checkout.js', { origin: 'https://shop.example' });
    expect(res.status).toBe(200);
    expect(await res.text()).toBe(BUNDLE);
    expect(res.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    // Without it the browser cannot check the integrity hash of a cross-origin script.
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(res.headers.get('cache-control')).toBe('no-cache');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    const etag = res.headers.get('etag') as string;
    const again = await get('/widget/checkout.js', { 'if-none-match': etag });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe('');
  });

  it('answers a new build with a new ETag', async () => {
    const before = (await get('/widget/checkout.js')).headers.get('etag') as string;
    await writeFile(join(dir, 'checkout.js'), `${BUNDLE}// v2\n`);
    const after = await get('/widget/checkout.js', { 'if-none-match': before });
    expect(after.status).toBe(200);
    expect(after.headers.get('etag')).not.toBe(before);
    await writeFile(join(dir, 'checkout.js'), BUNDLE);
  });

  it('sends a browser the brotli copy, a fraction of the file, with its own ETag', async () => {
    const plain = await get('/widget/checkout.de.js');
    expect(plain.headers.get('content-encoding')).toBeNull();
    const raw = Buffer.from(await plain.arrayBuffer());
    expect(raw.toString()).toBe(GERMAN);
    const res = await get('/widget/checkout.de.js', { 'accept-encoding': BROWSER });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-encoding')).toBe('br');
    // One answer per coding in a shared cache, and CORS and no-cache as for the file itself.
    expect(res.headers.get('vary')).toMatch(/accept-encoding/i);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(res.headers.get('cache-control')).toBe('no-cache');
    const sent = Buffer.from(await res.arrayBuffer());
    // The bytes the integrity hash covers are the decoded ones: exactly the file.
    expect(brotliDecompressSync(sent).toString()).toBe(GERMAN);
    expect(sent.length).toBeLessThan(raw.length / 4);
    const etag = res.headers.get('etag') as string;
    expect(etag).not.toBe(plain.headers.get('etag'));
    const again = await get('/widget/checkout.de.js', {
      'accept-encoding': BROWSER,
      'if-none-match': etag,
    });
    expect(again.status).toBe(304);
    expect(again.headers.get('content-encoding')).toBe('br');
    // The plain file's ETag does not stand for the brotli copy.
    const other = await get('/widget/checkout.de.js', {
      'accept-encoding': BROWSER,
      'if-none-match': plain.headers.get('etag') as string,
    });
    expect(other.status).toBe(200);
  });

  it.each([
    ['gzip, deflate', 'gzip'],
    ['br;q=0, gzip', 'gzip'],
    ['gzip;q=1.0, br;q=0.5', 'gzip'],
    ['*', 'br'],
    ['identity', null],
    ['gzip;q=0', null],
    ['br;q=high', null],
    ['deflate', null],
  ])('answers Accept-Encoding %j with coding %j', async (accept, coding) => {
    const res = await get('/widget/checkout.de.js', { 'accept-encoding': accept });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-encoding')).toBe(coding);
    const sent = Buffer.from(await res.arrayBuffer());
    const decoded =
      coding === 'gzip' ? gunzipSync(sent) : coding === 'br' ? brotliDecompressSync(sent) : sent;
    expect(decoded.toString()).toBe(GERMAN);
  });

  it('answers a list of ETags, weak or strong, with 304 when one is the current', async () => {
    const etag = (await get('/widget/checkout.js')).headers.get('etag') as string;
    for (const header of [`"old", ${etag}`, `W/${etag}`, '*'])
      expect((await get('/widget/checkout.js', { 'if-none-match': header })).status).toBe(304);
    expect((await get('/widget/checkout.js', { 'if-none-match': '"old"' })).status).toBe(200);
  });

  it('serves a build under its own address, cached for a year, with its language files', async () => {
    const path = buildPath(new TextEncoder().encode(BUNDLE));
    const res = await get(path, { 'accept-encoding': BROWSER });
    expect(res.status).toBe(200);
    expect(brotliDecompressSync(Buffer.from(await res.arrayBuffer())).toString()).toBe(BUNDLE);
    // No request at all on the next page load: the address changes with the build.
    expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    // checkout.js loads its language file beside itself, so under the same build.
    const german = await get(path.replace('checkout.js', 'checkout.de.js'));
    expect(await german.text()).toBe(GERMAN);
    expect(german.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    // A new build: the old address is gone (never a year of the new bytes under it), the new works.
    await writeFile(join(dir, 'checkout.js'), `${BUNDLE}// v3\n`);
    try {
      const old = await get(path);
      expect(old.status).toBe(404);
      expect((await old.json()).error.code).toBe('not_found');
      const fresh = await get(buildPath(new TextEncoder().encode(`${BUNDLE}// v3\n`)));
      expect(await fresh.text()).toBe(`${BUNDLE}// v3\n`);
    } finally {
      await writeFile(join(dir, 'checkout.js'), BUNDLE);
    }
  });

  it.each([
    '/widget/checkout.mjs',
    '/widget/checkout.js.map',
    '/widget/checkout.fr.js',
    '/widget/..%2Fpackage.json',
    '/widget/',
    `/widget/${'A'.repeat(64)}/checkout.js`,
    `/widget/${'A'.repeat(63)}/checkout.js`,
  ])('answers 404 not_found for %s (not served, or not built)', async (path) => {
    const res = await get(path);
    expect(res.status).toBe(404);
    expect((await res.json()).error.code).toBe('not_found');
  });
});
