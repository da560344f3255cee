/**
 * @module The widget bundle, served by the stub itself at `/widget/…` (DESIGN.md: a merchant page
 * adds one `<script>` tag pointing at the stub; `npm run sri` prints it): `checkout.js` and the
 * language files it loads on demand. `npm run build:widget` writes them to `dist/widget/`; a
 * file not built is a 404. The ES module build is for bundlers (its chunks are not served).
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Hono } from 'hono';
import { stubError } from '../../errors.ts';
import type { StubEnv } from '../env.ts';

const FILES = new Set(['checkout.js', 'checkout.fr.js', 'checkout.es.js', 'checkout.de.js']);

export function widgetRoutes(dir: string): Hono<StubEnv> {
  const app = new Hono<StubEnv>();
  app.get('/:file', async (c) => {
    const file = c.req.param('file');
    const body = FILES.has(file)
      ? await readFile(join(dir, file)).catch(() => undefined)
      : undefined;
    if (!body) throw stubError('not_found');
    const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
    const headers = {
      'content-type': 'text/javascript; charset=utf-8',
      // The URL has no version: a browser asks again each time (a 304 while unchanged), so a page
      // whose integrity hash names the new build never meets the old one from a cache.
      'cache-control': 'no-cache',
      etag,
      // A merchant's `<script crossorigin="anonymous" integrity=…>` on another origin needs a
      // CORS answer to check the hash (the file is public; no credentials are involved).
      'access-control-allow-origin': '*',
    };
    if (c.req.header('if-none-match') === etag) return c.body(null, 304, headers);
    return c.body(body, 200, headers);
  });
  return app;
}
