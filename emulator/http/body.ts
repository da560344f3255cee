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

/** Path plus query exactly as received: what `request-target` signs. */
export function requestTarget(c: Context<EmulatorEnv>): string {
  const url = new URL(c.req.url);
  return url.pathname + url.search;
}
