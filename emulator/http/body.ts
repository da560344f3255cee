import type { Context } from 'hono';
import type { EmulatorEnv } from './env.ts';

/** Raw body bytes, read once and kept for the signature check and the handler. */
export async function rawBody(c: Context<EmulatorEnv>): Promise<Uint8Array> {
  const cached = c.get('rawBody');
  if (cached) return cached;
  const bytes = new Uint8Array(await c.req.arrayBuffer());
  c.set('rawBody', bytes);
  return bytes;
}

export type JsonRead = { ok: true; value: unknown } | { ok: false };

/** Parses the raw body as JSON; the caller answers in its own API family's envelope. */
export async function readJson(c: Context<EmulatorEnv>): Promise<JsonRead> {
  const bytes = await rawBody(c);
  try {
    return { ok: true, value: JSON.parse(new TextDecoder().decode(bytes)) };
  } catch {
    return { ok: false };
  }
}

/**
 * Path plus query exactly as received: what `request-target` signs. On a socket that is the raw
 * request line (@hono/node-server's `IncomingMessage.url`): `new URL` would re-encode `'` in the
 * query as `%27` and drop `./` and `../` segments, and a client that signed the raw path (the
 * Node SDK builds queries with `querystring.stringify`, which leaves `'`) would fail. The
 * absolute form a proxy may send (`GET http://host/path`) is cut to its path. In-process
 * requests (`app.request`) have no request line; their URL is the best there is.
 */
export function requestTarget(c: Context<EmulatorEnv>): string {
  const line = c.env?.incoming?.url;
  if (line?.startsWith('/')) return line;
  const absolute =
    line === undefined ? undefined : /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*(.*)$/i.exec(line);
  if (absolute) return absolute[1] || '/';
  const url = new URL(c.req.url);
  return url.pathname + url.search;
}
