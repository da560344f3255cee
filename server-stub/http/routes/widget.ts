/**
 * @module The widget bundle, served by the stub itself at `/widget/…` (DESIGN.md: a merchant page
 * adds one `<script>` tag pointing at the stub; `npm run sri` prints it): `checkout.js` and the
 * language files it loads on demand. `npm run build:widget` writes them to `dist/widget/`; a
 * file not built is a 404. The ES module build is for bundlers (its chunks are not served).
 */
import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Hono } from 'hono';
import { stubError } from '../../errors.ts';
import type { StubEnv } from '../env.ts';

const FILES = new Set(['checkout.js', 'checkout.fr.js', 'checkout.es.js', 'checkout.de.js']);

interface Built {
  mtimeMs: number;
  size: number;
  body: Buffer<ArrayBuffer>;
  etag: string;
}

export function widgetRoutes(dir: string): Hono<StubEnv> {
  const app = new Hono<StubEnv>();
  // Every page load revalidates (no-cache), so each file is read and hashed once per build,
  // not per request: a stat tells whether the build changed.
  const built = new Map<string, Built>();
  const load = async (file: string): Promise<Built | undefined> => {
    const path = join(dir, file);
    const info = await stat(path).catch(() => undefined);
    if (!info?.isFile()) return undefined;
    const known = built.get(file);
    if (known && known.mtimeMs === info.mtimeMs && known.size === info.size) return known;
    const body = await readFile(path).catch(() => undefined);
    if (!body) return undefined;
    const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
    const fresh = { mtimeMs: info.mtimeMs, size: info.size, body, etag };
    built.set(file, fresh);
    return fresh;
  };
  app.get('/:file', async (c) => {
    const file = c.req.param('file');
    const found = FILES.has(file) ? await load(file) : undefined;
    if (!found) throw stubError('not_found');
    const { body, etag } = found;
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
