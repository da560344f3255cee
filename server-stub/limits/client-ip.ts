/**
 * @module The client address a limit counts against (RELIABILITY-FACTS §4: limit per IP).
 *
 * By default it is the TCP peer (`c.env.incoming.socket.remoteAddress` under @hono/node-server),
 * which a client cannot forge. Behind N trusted reverse proxies (`TRUST_PROXY=N`, `true` = 1),
 * it is the N-th address from the right of `X-Forwarded-For`: each proxy appends the peer it
 * saw, so entries further left are whatever the client wrote and are never trusted.
 * IPv4-mapped IPv6 becomes IPv4, and IPv6 counts per /64 (one subscriber's usual allocation,
 * so rotating addresses inside it does not reset a limit).
 */
import { isIP } from 'node:net';
import type { Context } from 'hono';
import { z } from 'zod';

const NodeBindings = z.object({
  incoming: z.object({ socket: z.object({ remoteAddress: z.string().optional() }) }),
});

/** The address to count, or undefined when the runtime gives none (in-process `app.request`). */
export function clientIp(c: Context, trustProxy: number): string | undefined {
  const bindings = NodeBindings.safeParse(c.env);
  const peer = bindings.success ? bindings.data.incoming.socket.remoteAddress : undefined;
  if (trustProxy > 0) {
    const hops = (c.req.header('x-forwarded-for') ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    const forwarded = hops.length >= trustProxy ? hops[hops.length - trustProxy] : undefined;
    const ip = forwarded === undefined ? undefined : normalizeIp(withoutPort(forwarded));
    if (ip !== undefined) return ip;
  }
  return peer === undefined ? undefined : normalizeIp(peer);
}

/**
 * The address of a forwarded hop some proxies write with its port (`203.0.113.7:51234`,
 * `[2001:db8::1]:443`; Azure Application Gateway does): read as is, it is no address, and every
 * shopper would be counted as the proxy's peer address, one bucket for the whole store.
 */
export function withoutPort(hop: string): string {
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(hop);
  if (bracketed?.[1]) return bracketed[1];
  const v4 = /^(\d{1,3}(?:\.\d{1,3}){3}):\d+$/.exec(hop);
  return v4?.[1] ?? hop;
}

/** The counting key of an address: IPv4 as is, IPv6 as its /64; undefined when not an IP. */
export function normalizeIp(raw: string): string | undefined {
  const ip = raw.replace(/%.*$/, '');
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(ip);
  if (mapped?.[1] && isIP(mapped[1]) === 4) return mapped[1];
  const family = isIP(ip);
  if (family === 4) return ip;
  if (family === 6) return `${ipv6Groups(ip).slice(0, 4).join(':')}::/64`;
  return undefined;
}

/** The eight 16-bit groups of a valid IPv6 address, lowercase, without leading zeros. */
function ipv6Groups(ip: string): string[] {
  const width = (part: string) => (part.includes('.') ? 2 : 1);
  const split = (s: string) => (s === '' ? [] : s.split(':'));
  const [head = '', tail] = ip.toLowerCase().split('::');
  const left = split(head);
  const right = tail === undefined ? [] : split(tail);
  const used = [...left, ...right].reduce((n, p) => n + width(p), 0);
  const groups = [...left, ...Array.from({ length: 8 - used }, () => '0'), ...right];
  return groups.map((g) => (g.includes('.') ? g : g.replace(/^0+(?=.)/, '')));
}
