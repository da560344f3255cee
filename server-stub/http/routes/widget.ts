/**
 * @module The widget bundle, served by the stub itself at `/widget/…` (DESIGN.md: a merchant page
 * adds one `<script>` tag pointing at the stub; `npm run sri` prints it): `checkout.js` and the
 * language files it loads on demand. `npm run build:widget` writes them to `dist/widget/`; a
 * file not built is a 404. The ES module build is for bundlers (its chunks are not served).
 *
 * Two addresses for one build:
 * - `/widget/checkout.js`: revalidated on every page load (`no-cache`, a 304 while unchanged),
 *   so a page whose integrity hash names a new build never meets an old one from a cache.
 * - `/widget/<build>/checkout.js`, where `<build>` is checkout.js's SHA-384 in base64url (the
 *   digest its integrity hash carries in base64; `npm run sri` prints this URL): cached for a
 *   year, `immutable`, because a new build has a new address. A returning shopper's browser runs
 *   the widget from its cache with no request at all, one round trip sooner. The language files
 *   are loaded beside checkout.js, so under the same build (checkout.js pins their hashes).
 *   Another build's address is 404: the stub serves the build it has.
 *
 * Each file is also kept compressed, brotli and gzip, made once per build: the bundle is about
 * 40 KB as built and 15 KB in brotli, and a merchant running the stub without a compressing
 * proxy in front would otherwise send every shopper the 40.
 */
import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';
import { type Context, Hono } from 'hono';
import { stubError } from '../../errors.ts';
import { type Coding, etagListed, negotiateCoding } from '../content-encoding.ts';
import type { StubEnv } from '../env.ts';

const FILES = new Set(['checkout.js', 'checkout.fr.js', 'checkout.es.js', 'checkout.de.js']);

const compress: Record<Coding, (body: Buffer) => Promise<Buffer>> = {
  br: (body) =>
    promisify(brotliCompress)(body, {
      params: {
        [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
        [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
        [constants.BROTLI_PARAM_SIZE_HINT]: body.length,
      },
    }),
  gzip: (body) => promisify(gzip)(body, { level: constants.Z_BEST_COMPRESSION }),
};

/** One file as built, or one compressed copy of it: what a response sends. */
interface Representation {
  body: Uint8Array<ArrayBuffer>;
  etag: string;
}

interface Built {
  mtimeMs: number;
  size: number;
  /** SHA-384, base64url: the `<build>` segment when this file is checkout.js. */
  sha384: string;
  identity: Representation;
  coded: Record<Coding, Representation>;
}

/** A year and `immutable` (RFC 8246): the address changes with the build, so never stale. */
const IMMUTABLE = 'public, max-age=31536000, immutable';
/** The address without a build: asked again on each use, so a new build is seen at once. */
const REVALIDATE = 'no-cache';

async function represent(body: Buffer): Promise<Omit<Built, 'mtimeMs' | 'size'>> {
  const hash = createHash('sha256').update(body).digest('base64url').slice(0, 27);
  const sha384 = createHash('sha384').update(body).digest('base64url');
  const [br, gz] = await Promise.all([compress.br(body), compress.gzip(body)]);
  // Each representation its own strong ETag (RFC 9110 §8.8.3): a cache keyed on the tag alone
  // must never hand gzip bytes to a client that asked for brotli.
  const as = (bytes: Buffer, etag: string) => ({ body: new Uint8Array(bytes), etag });
  return {
    sha384,
    identity: as(body, `"${hash}"`),
    coded: { br: as(br, `"${hash}-br"`), gzip: as(gz, `"${hash}-gzip"`) },
  };
}

export function widgetRoutes(dir: string): Hono<StubEnv> {
  const app = new Hono<StubEnv>();
  // Each file is read, hashed and compressed once per build, not per request: a stat tells
  // whether the build changed.
  const built = new Map<string, Built>();
  const load = async (file: string): Promise<Built | undefined> => {
    const path = join(dir, file);
    const info = await stat(path).catch(() => undefined);
    if (!info?.isFile()) return undefined;
    const known = built.get(file);
    if (known && known.mtimeMs === info.mtimeMs && known.size === info.size) return known;
    const body = await readFile(path).catch(() => undefined);
    if (!body) return undefined;
    const fresh = { mtimeMs: info.mtimeMs, size: info.size, ...(await represent(body)) };
    built.set(file, fresh);
    return fresh;
  };
  const send = (c: Context<StubEnv>, found: Built, cacheControl: string) => {
    const coding = negotiateCoding(c.req.header('accept-encoding'));
    const { body, etag } = coding ? found.coded[coding] : found.identity;
    const headers: Record<string, string> = {
      'content-type': 'text/javascript; charset=utf-8',
      'cache-control': cacheControl,
      etag,
      // A merchant's `<script crossorigin="anonymous" integrity=…>` on another origin needs a
      // CORS answer to check the hash (the file is public; no credentials are involved).
      'access-control-allow-origin': '*',
      // A shared cache keeps one answer per coding, not the first it saw for everyone.
      vary: 'Accept-Encoding',
      ...(coding && { 'content-encoding': coding }),
    };
    if (etagListed(c.req.header('if-none-match'), etag)) return c.body(null, 304, headers);
    return c.body(body, 200, headers);
  };
  app.get('/:file', async (c) => {
    const file = c.req.param('file');
    const found = FILES.has(file) ? await load(file) : undefined;
    if (!found) throw stubError('not_found');
    return send(c, found, REVALIDATE);
  });
  app.get('/:build{[A-Za-z0-9_-]{64}}/:file', async (c) => {
    const file = c.req.param('file');
    const main = await load('checkout.js');
    const current = main?.sha384 === c.req.param('build');
    // checkout.js itself is `main`: one stat of the build per request, not two.
    const found = current && FILES.has(file) && (file === 'checkout.js' ? main : await load(file));
    if (!found) throw stubError('not_found');
    return send(c, found, IMMUTABLE);
  });
  return app;
}
