import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { ConfigError, configFromEnv } from '../../../server-stub/config/env.ts';
import { newCardKey, savedCardKey } from '../../../server-stub/limits/card-key.ts';
import {
  clientAddress,
  normalizeIp,
  ProxyTrust,
  type TrustProxy,
  UNKNOWN_PEER,
} from '../../../server-stub/limits/client-ip.ts';
import { SlidingWindowLog } from '../../../server-stub/limits/request-rate.ts';
import { parseRule } from '../../../server-stub/limits/rules.ts';

describe('normalizeIp', () => {
  it.each([
    ['203.0.113.7', '203.0.113.7'],
    ['::ffff:203.0.113.7', '203.0.113.7'],
    ['2001:db8:1:2:3:4:5:6', '2001:db8:1:2::/64'],
    ['2001:db8:1:2::9', '2001:db8:1:2::/64'],
    ['2001:0db8:0001:0002:ffff::1', '2001:db8:1:2::/64'],
    ['2001:db8::1', '2001:db8:0:0::/64'],
    ['fe80::1%eth0', 'fe80:0:0:0::/64'],
    ['::1', '0:0:0:0::/64'],
    ['not-an-ip', undefined],
    ['203.0.113.7, 10.0.0.1', undefined],
    ['', undefined],
  ])('%s → %s', (raw, expected) => {
    expect(normalizeIp(raw)).toBe(expected);
  });
});

describe('clientIp', () => {
  const probe = (trustProxy: TrustProxy) => {
    const app = new Hono();
    const trust = new ProxyTrust(trustProxy);
    app.get('/', (c) => c.json({ ip: clientAddress(c, trust).ip ?? null }));
    return async (peer: string | undefined, xff?: string) => {
      const res = await app.request(
        '/',
        { headers: xff === undefined ? {} : { 'x-forwarded-for': xff } },
        peer === undefined ? undefined : { incoming: { socket: { remoteAddress: peer } } },
      );
      return (await res.json()).ip;
    };
  };

  it('uses the socket peer and ignores X-Forwarded-For by default', async () => {
    const ip = probe(0);
    expect(await ip('198.51.100.9', '203.0.113.1')).toBe('198.51.100.9');
    expect(await ip(undefined, '203.0.113.1')).toBeNull();
  });

  it('counts a request whose socket forgot its peer (a reset connection) under one shared key, never none', async () => {
    const app = new Hono();
    app.get('/', (c) => c.json({ ip: clientAddress(c, new ProxyTrust(0)).ip ?? null }));
    // Node's socket after a reset: still there, its remoteAddress gone.
    const reset = { incoming: { socket: {} } };
    for (const headers of [{}, { 'x-forwarded-for': '203.0.113.1' }]) {
      const res = await app.request('/', { headers }, reset);
      expect((await res.json()).ip).toBe(UNKNOWN_PEER);
    }
  });

  it('takes the N-th address from the right with N trusted proxies', async () => {
    expect(await probe(1)('10.0.0.1', '1.2.3.4, 203.0.113.5')).toBe('203.0.113.5');
    expect(await probe(2)('10.0.0.1', '1.2.3.4, 203.0.113.5, 10.0.0.2')).toBe('203.0.113.5');
  });

  it('reads a hop a proxy wrote with its port as that address, not as the proxy', async () => {
    expect(await probe(1)('10.0.0.1', '203.0.113.7:51234')).toBe('203.0.113.7');
    expect(await probe(1)('10.0.0.1', '[2001:db8::1]:443')).toBe('2001:db8:0:0::/64');
    expect(await probe(1)('10.0.0.1', '[2001:db8::1]')).toBe('2001:db8:0:0::/64');
    expect(await probe(1)('10.0.0.1', '2001:db8::1')).toBe('2001:db8:0:0::/64');
  });

  it('falls back to the socket when the header is short or not an address', async () => {
    expect(await probe(2)('10.0.0.1', '203.0.113.5')).toBe('10.0.0.1');
    expect(await probe(1)('10.0.0.1', 'evil')).toBe('10.0.0.1');
    expect(await probe(1)('10.0.0.1')).toBe('10.0.0.1');
  });

  it('with N proxies reads the header only from a loopback, private or link-local peer', async () => {
    for (const proxy of [
      '127.0.0.1',
      '10.1.2.3',
      '172.31.0.9',
      '192.168.1.1',
      '100.64.0.1',
      '169.254.1.1',
      '::1',
      '::ffff:192.168.0.7',
      'fd12:3456::1',
      'fe80::1%eth0',
    ]) {
      expect(await probe(1)(proxy, '203.0.113.5')).toBe('203.0.113.5');
    }
    // Anyone else reached the port without passing the proxy: what they wrote is not read.
    for (const [peer, counted] of [
      ['198.51.100.9', '198.51.100.9'],
      ['172.32.0.1', '172.32.0.1'],
      ['::ffff:198.51.100.9', '198.51.100.9'],
      ['2001:db8::5', '2001:db8:0:0::/64'],
    ]) {
      expect(await probe(1)(peer, '203.0.113.5')).toBe(counted);
      expect(await probe(2)(peer, '1.2.3.4, 203.0.113.5, 10.0.0.2')).toBe(counted);
    }
    // No socket at all (in-process, a runtime without one): nothing to check it against.
    expect(await probe(1)(undefined, '203.0.113.5')).toBe('203.0.113.5');
  });

  it('with the proxies listed walks from the peer past each of them', async () => {
    const listed = probe(['192.0.2.0/28', '2001:db8::1']);
    expect(await listed('192.0.2.5', '203.0.113.5')).toBe('203.0.113.5');
    expect(await listed('192.0.2.5', 'forged, 203.0.113.5, 192.0.2.9')).toBe('203.0.113.5');
    expect(await listed('2001:db8::1', '[2001:db8::1]:443, 203.0.113.6')).toBe('203.0.113.6');
    // Not listed, private or not: the peer, the header unread.
    expect(await listed('198.51.100.9', '203.0.113.5')).toBe('198.51.100.9');
    expect(await listed('10.0.0.1', '203.0.113.5')).toBe('10.0.0.1');
    // Only proxies in the header: the leftmost; one that is no address: the peer.
    expect(await listed('192.0.2.5', '192.0.2.6')).toBe('192.0.2.6');
    expect(await listed('192.0.2.5', 'evil')).toBe('192.0.2.5');
    expect(await listed('192.0.2.5')).toBe('192.0.2.5');
  });
});

describe('SlidingWindowLog', () => {
  const rule = { max: 2, windowMs: 10_000 };

  it('admits max events per window and says when the oldest leaves', () => {
    const log = new SlidingWindowLog(10_000);
    expect(log.take([{ key: 'a', rule }], 0).waitSeconds).toBe(0);
    expect(log.take([{ key: 'a', rule }], 4_000).waitSeconds).toBe(0);
    expect(log.take([{ key: 'a', rule }], 5_000)).toEqual({ waitSeconds: 5, tripped: 'a' });
    expect(log.take([{ key: 'a', rule }], 10_000).waitSeconds).toBe(0);
  });

  it('records nothing when any check refuses', () => {
    const log = new SlidingWindowLog(10_000);
    const one = { max: 1, windowMs: 10_000 };
    expect(
      log.take(
        [
          { key: 'ip', rule },
          { key: 'shopper', rule: one },
        ],
        0,
      ).waitSeconds,
    ).toBe(0);
    expect(
      log.take(
        [
          { key: 'ip', rule },
          { key: 'shopper', rule: one },
        ],
        1,
      ).waitSeconds,
    ).toBe(10);
    // The refused request did not use up the IP's second slot.
    expect(log.take([{ key: 'ip', rule }], 2).waitSeconds).toBe(0);
  });

  it('keeps at most maxKeys keys', () => {
    const log = new SlidingWindowLog(10_000, 3);
    for (let i = 0; i < 10; i++) log.take([{ key: `k${i}`, rule }], i);
    expect(log.size).toBeLessThanOrEqual(3);
  });

  it('makes room for a tenth of maxKeys at a sweep, so a spray does not sweep on every key', () => {
    const log = new SlidingWindowLog(10_000, 100);
    // All live (one window): only the cap can drop them.
    for (let i = 0; i <= 100; i++) log.take([{ key: `k${i}`, rule }], i);
    expect(log.size).toBe(90);
    for (let i = 101; i <= 110; i++) log.take([{ key: `k${i}`, rule }], i);
    expect(log.size).toBe(100);
    log.take([{ key: 'k111', rule }], 111);
    expect(log.size).toBe(90);
  });

  it('drops the keys a spray used once before a key still counting', () => {
    const log = new SlidingWindowLog(10_000, 20);
    const three = { max: 3, windowMs: 10_000 };
    const busy = () => log.take([{ key: 'busy', rule: three }], t++).waitSeconds;
    let t = 0;
    let sprayed = 0;
    const spray = (n: number) => {
      for (let i = 0; i < n; i++) log.take([{ key: `s${sprayed++}`, rule }], t++);
    };
    expect(busy()).toBe(0);
    spray(9);
    expect(busy()).toBe(0);
    spray(9);
    expect(busy()).toBe(0);
    spray(9);
    // The spray overflowed the map; the address counting all along is still counted.
    expect(busy()).toBeGreaterThan(0);
    expect(log.size).toBeLessThanOrEqual(20);
  });
});

describe('limit settings', () => {
  it.each([
    ['20/10m', { max: 20, windowMs: 600_000 }],
    ['5/1h', { max: 5, windowMs: 3_600_000 }],
    ['3/30s', { max: 3, windowMs: 30_000 }],
    ['off', undefined],
  ])('parses %s', (text, rule) => {
    expect(parseRule(text)).toEqual(rule);
  });

  it.each(['', '20', '0/10m', '20/0m', '20/10d', '-1/1h'])('refuses %j', (text) => {
    expect(parseRule(text)).toBeInstanceOf(Error);
  });

  it('reads the environment and names a bad variable', () => {
    const c = configFromEnv({
      RATE_LIMIT_SESSIONS_PER_IP: '50/1m',
      DECLINE_LIMIT_PER_SESSION: 'off',
      DECLINE_LIMIT_PER_CARD: '2/2h',
      TRUST_PROXY: 'true',
      CSP_FRAME_ANCESTORS: "'self', https://shop.example",
    });
    expect(c.limits).toMatchObject({
      sessionsPerIp: { max: 50, windowMs: 60_000 },
      sessionsPerShopper: { max: 10, windowMs: 600_000 },
      declinesPerSession: undefined,
      declinesPerCard: { max: 2, windowMs: 7_200_000 },
    });
    expect(c.trustProxy).toBe(1);
    expect(configFromEnv({ TRUST_PROXY: ' 192.0.2.0/24, 2001:DB8::1 ,' }).trustProxy).toEqual([
      '192.0.2.0/24',
      '2001:db8::1',
    ]);
    expect(c.frameAncestors).toEqual(["'self'", 'https://shop.example']);
    for (const [name, value] of [
      ['RATE_LIMIT_PAYMENTS_PER_IP', 'lots'],
      ['DECLINE_LIMIT_PER_SESSION', '0'],
      ['TRUST_PROXY', 'maybe'],
      ['TRUST_PROXY', '192.0.2.0/33'],
      ['TRUST_PROXY', '192.0.2.1, proxy.example'],
      ['TRUST_PROXY', '300.0.0.1'],
      // Trusting every peer: each client would write its own address.
      ['TRUST_PROXY', '0.0.0.0/0'],
      ['TRUST_PROXY', '::/0'],
      ['CSP_FRAME_ANCESTORS', 'none, https://shop.example'],
      ['CSP_FRAME_ANCESTORS', 'http://shop.example'],
    ]) {
      expect(() => configFromEnv({ [name ?? '']: value })).toThrow(ConfigError);
      expect(() => configFromEnv({ [name ?? '']: value })).toThrow(name);
    }
  });
});

describe('card keys', () => {
  it('ignore the expiry, so guessing it hits one counter, and hide the digits', () => {
    const key = newCardKey({ brand: 'visa', last4: '1111' });
    expect(key).toMatch(/^[0-9a-f]{64}$/);
    expect(newCardKey({ brand: 'visa', last4: '1111', bin: undefined })).toBe(key);
    expect(newCardKey({ brand: 'mastercard', last4: '1111' })).not.toBe(key);
    expect(newCardKey({ brand: 'visa', last4: '1111', bin: '411111' })).not.toBe(key);
    expect(savedCardKey('7030140000043426478')).not.toBe(savedCardKey('7030140000043426479'));
  });
});
