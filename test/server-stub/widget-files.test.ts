/**
 * The stub serves the built widget at /widget/ (server-stub/http/routes/widget.ts): what a
 * merchant page's one `<script src=… integrity=… crossorigin>` tag on another origin loads.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, harness } from './harness.ts';

let h: Harness;
let dir: string;
const BUNDLE = '(()=>{window.CyberCheckout={}})();\n';

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'stub-widget-'));
  await writeFile(join(dir, 'checkout.js'), BUNDLE);
  await writeFile(join(dir, 'checkout.mjs'), 'export {};\n');
  await writeFile(join(dir, 'checkout.js.map'), '{}');
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

  it.each([
    '/widget/checkout.mjs',
    '/widget/checkout.js.map',
    '/widget/checkout.fr.js',
    '/widget/..%2Fpackage.json',
    '/widget/',
  ])('answers 404 not_found for %s (not served, or not built)', async (path) => {
    const res = await get(path);
    expect(res.status).toBe(404);
    expect((await res.json()).error.code).toBe('not_found');
  });
});
