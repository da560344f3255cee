/**
 * @module The client address a limit counts against (RELIABILITY-FACTS §4: limit per IP).
 *
 * By default it is the TCP peer (`c.env.incoming.socket.remoteAddress` under @hono/node-server),
 * which a client cannot forge. `X-Forwarded-For` is read only from a peer that is one of the
 * trusted proxies (`TRUST_PROXY`, `ProxyTrust`): anyone who reaches the port without passing
 * the proxy (`npm run server` listens on every interface unless LISTEN_ADDRESS says otherwise)
 * could otherwise write a new address into it on each request and never be limited (OWASP
 * "Blocking Brute Force Attacks"; MDN X-Forwarded-For, "Security and privacy concerns": only the
 * entries appended by trusted proxies can be relied on).
 * - `TRUST_PROXY=N` (`true` = 1): a peer with a loopback, private, shared or link-local address
 *   is taken for a proxy, and the client is the N-th address from the right of the header: each
 *   proxy appends the peer it saw, so entries further left are whatever the client wrote.
 * - `TRUST_PROXY=<addresses/CIDRs>`: the proxies are those addresses (a CDN or cloud load
 *   balancer that connects from public ones); the client is the first address, from the peer
 *   leftwards through the header, that is not one of them (Express's `trust proxy` list and
 *   nginx's `real_ip_recursive` walk the same way).
 * IPv4-mapped IPv6 becomes IPv4, and IPv6 counts per /64 (one subscriber's usual allocation,
 * so rotating addresses inside it does not reset a limit).
 */
import { BlockList, isIP } from 'node:net';
import type { Context } from 'hono';
import { z } from 'zod';

const NodeBindings = z.object({
  incoming: z.object({ socket: z.object({ remoteAddress: z.string().optional() }) }),
});

/** `TRUST_PROXY`: 0 (no proxy), the number of proxies, or the proxies' addresses and CIDRs. */
export type TrustProxy = number | readonly string[];

/**
 * Addresses no client on the internet connects from, so a peer with one is on the stub's host or
 * network: where a reverse proxy is. RFC 1122 §3.2.1.3 and RFC 4291 §2.5.3 (loopback), RFC 1918
 * (private IPv4), RFC 6598 (shared 100.64/10: carrier NAT, some Kubernetes pod networks),
 * RFC 3927 and RFC 4291 §2.5.6 (link-local), RFC 4193 (unique local IPv6).
 */
const LOCAL_RANGES: readonly string[] = [
  '127.0.0.0/8',
  '10.0.0.0/8',
  '172.16.0.0/12',
  '192.168.0.0/16',
  '100.64.0.0/10',
  '169.254.0.0/16',
  '::1/128',
  'fc00::/7',
  'fe80::/10',
];

/** An address or CIDR as `TRUST_PROXY` lists it, or why it is not one. */
export function proxyRange(
  entry: string,
): { address: string; prefix: number; family: 'ipv4' | 'ipv6' } | Error {
  const [raw = '', bits, extra] = entry.trim().split('/');
  const address = plainAddress(raw);
  if (address === undefined || extra !== undefined) {
    return new Error(`${JSON.stringify(entry)} is not an IP address or CIDR`);
  }
  const family = isIP(address) === 4 ? 'ipv4' : 'ipv6';
  const max = family === 'ipv4' ? 32 : 128;
  const prefix = bits === undefined ? max : /^\d{1,3}$/.test(bits) ? Number(bits) : Number.NaN;
  // A /0 would trust every peer, so every client could write its own address.
  if (!(prefix >= 1 && prefix <= max)) {
    return new Error(`${JSON.stringify(entry)}: the prefix length must be 1 to ${max}`);
  }
  return { address, prefix, family };
}

/** Which peers are proxies and how their `X-Forwarded-For` is read; made once per app. */
export class ProxyTrust {
  /** How many proxies (`TRUST_PROXY=N`); 0 with a list, which is walked instead. */
  readonly hops: number;
  private readonly proxies: BlockList | undefined;
  /** Listed addresses (not the local ranges): the header is walked past every one of them. */
  private readonly listed: boolean;

  constructor(setting: TrustProxy) {
    this.listed = typeof setting !== 'number';
    this.hops = typeof setting === 'number' ? setting : 0;
    const ranges = typeof setting === 'number' ? (setting > 0 ? LOCAL_RANGES : []) : setting;
    if (ranges.length === 0) {
      this.proxies = undefined;
      return;
    }
    this.proxies = new BlockList();
    for (const entry of ranges) {
      const range = proxyRange(entry);
      if (range instanceof Error) throw range; // `config/env.ts` refuses it at start
      this.proxies.addSubnet(range.address, range.prefix, range.family);
    }
  }

  /** True when `X-Forwarded-For` is read at all. */
  get enabled(): boolean {
    return this.proxies !== undefined;
  }

  /** Whether `address` (plain, as from `plainAddress`) is one of the trusted proxies. */
  trusts(address: string): boolean {
    if (!this.proxies) return false;
    return this.proxies.check(address, isIP(address) === 4 ? 'ipv4' : 'ipv6');
  }

  /**
   * The client's address (plain, before `normalizeIp`), and whether a header was ignored because
   * the peer is no trusted proxy (`requestIp` logs that once: a port reachable around the proxy).
   * `peerRaw` null: the runtime has no socket (in-process `app.request`, a host without one).
   */
  client(
    peerRaw: string | undefined | null,
    header: string | undefined,
  ): { address: string | undefined; ignored: boolean } {
    const peer = peerRaw ? plainAddress(peerRaw) : undefined;
    if (!this.enabled) return { address: peer, ignored: false };
    const hops = (header ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    // With no socket there is nothing to check the header against, so it is read as configured
    // (as it always was). With one, a peer whose address is unknown (a socket already closed)
    // or not a proxy's is what counts.
    if (peerRaw !== null && (peer === undefined || !this.trusts(peer))) {
      return { address: peer, ignored: hops.length > 0 };
    }
    if (!this.listed) {
      const hop = hops.length >= this.hops ? hops[hops.length - this.hops] : undefined;
      const forwarded = hop === undefined ? undefined : plainAddress(withoutPort(hop));
      return { address: forwarded ?? peer, ignored: false };
    }
    let client = peer;
    for (const hop of hops.reverse()) {
      const address = plainAddress(withoutPort(hop));
      // Not an address where a trusted proxy wrote one: the proxies are misconfigured, and the
      // peer is the one address that is known.
      if (address === undefined) return { address: peer, ignored: false };
      client = address;
      if (!this.trusts(address)) break;
    }
    return { address: client, ignored: false };
  }
}

/**
 * The key of a request whose socket no longer knows its peer: Node forgets `remoteAddress` once
 * the connection is reset, which a client can do right after sending. Skipping the per-IP limits
 * then would let every reset request through uncounted (its answer read later as a replay), so
 * all such requests share one key instead: a shopper's connection is not reset mid-request.
 */
export const UNKNOWN_PEER = 'unknown-peer';

/**
 * The address to count (`ip`; undefined when the runtime gives no socket: in-process
 * `app.request`), and whether an `X-Forwarded-For` from a peer that is no trusted proxy was
 * ignored.
 */
export function clientAddress(
  c: Context,
  trust: ProxyTrust,
): { ip: string | undefined; peer: string | undefined; ignored: boolean } {
  const bindings = NodeBindings.safeParse(c.env);
  const peer = bindings.success ? bindings.data.incoming.socket.remoteAddress : null;
  const r = trust.client(peer, c.req.header('x-forwarded-for'));
  const ip = r.address === undefined ? undefined : normalizeIp(r.address);
  return {
    ip: ip ?? (bindings.success ? UNKNOWN_PEER : undefined),
    peer: peer ?? undefined,
    ignored: r.ignored,
  };
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

/**
 * An address as one IP: without an IPv6 zone (`%eth0`), IPv4-mapped IPv6 as IPv4 (what a
 * dual-stack socket reports for an IPv4 peer); undefined when not an IP.
 */
export function plainAddress(raw: string): string | undefined {
  const ip = raw.replace(/%.*$/, '');
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(ip);
  if (mapped?.[1] && isIP(mapped[1]) === 4) return mapped[1];
  return isIP(ip) === 0 ? undefined : ip;
}

/** The counting key of an address: IPv4 as is, IPv6 as its /64; undefined when not an IP. */
export function normalizeIp(raw: string): string | undefined {
  const ip = plainAddress(raw);
  if (ip === undefined) return undefined;
  if (isIP(ip) === 4) return ip;
  return `${ipv6Groups(ip).slice(0, 4).join(':')}::/64`;
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
