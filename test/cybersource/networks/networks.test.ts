import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  NETWORK_NAMES,
  NETWORKS,
  type NetworkName,
  networkByCardType,
  TEST_CARDS,
} from '../../../cybersource/networks/index.ts';
import { prefixMatchWidth } from '../../../cybersource/networks/range.ts';

// API-FACTS §5.6 (codes) and the MF011 card table (names, security codes, Microform names).
const EXPECTED: ReadonlyArray<[NetworkName, string, string, string, number]> = [
  ['VISA', '001', 'visa', 'CVV', 3],
  ['MASTERCARD', '002', 'mastercard', 'CVC', 3],
  ['AMEX', '003', 'amex', 'CID', 4],
  ['DISCOVER', '004', 'discover', 'CID', 3],
  ['JCB', '007', 'jcb', 'CVV', 3],
  ['DINERSCLUB', '005', 'diners-club', 'CVV', 3],
  ['MAESTRO', '042', 'maestro', 'CVC', 3],
  ['CUP', '062', 'cup', 'CVN2', 3],
  ['CARTESBANCAIRES', '036', 'cartes-bancaires', 'CVV', 3],
  ['CARNET', '058', 'carnet', 'CVV', 3],
  ['ELO', '054', 'elo', 'CVE', 3],
  ['MADA', '060', 'mada', 'CVV', 3],
  ['MEEZA', '067', 'meeza', 'CVV', 3],
  ['EFTPOS', '070', 'eftpos', 'CVV', 3],
  ['JCREW', '046', 'jcrew', 'CVV', 3],
];

describe('NETWORKS', () => {
  it('has the 15 seed networks, each under its own name', () => {
    expect(new Set(NETWORK_NAMES).size).toBe(15);
    expect(Object.keys(NETWORKS).sort()).toEqual([...NETWORK_NAMES].sort());
    expect(EXPECTED.map(([name]) => name)).toEqual(NETWORK_NAMES);
  });

  it.each(EXPECTED)(
    '%s: code %s, Microform name %s, %s of %i digits',
    (name, code, mf, sc, len) => {
      const n = NETWORKS[name];
      expect(n.name).toBe(name);
      expect(n.cybsCardType).toBe(code);
      expect(n.microformName).toBe(mf);
      expect(n.securityCode).toEqual({ name: sc, length: len });
      expect(networkByCardType(code)).toBe(n);
    },
  );

  it.each(NETWORK_NAMES)('%s has well-formed ranges, lengths and gaps', (name) => {
    const n = NETWORKS[name];
    expect(n.ranges.length).toBeGreaterThan(0);
    for (const r of n.ranges) {
      expect(r.low).toMatch(/^\d{1,8}$/);
      expect(r.high.length).toBe(r.low.length);
      expect(r.low <= r.high).toBe(true);
    }
    expect([...n.lengths].sort((a, b) => a - b)).toEqual(n.lengths);
    expect(Math.min(...n.lengths)).toBeGreaterThanOrEqual(12);
    expect(Math.max(...n.lengths)).toBeLessThanOrEqual(19);
    for (const gap of n.gaps) expect(gap).toBeLessThan(Math.max(...n.lengths));
    expect(n.rangeSource.length).toBeGreaterThan(0);
  });

  it.each(
    NETWORK_NAMES.flatMap((name) =>
      NETWORKS[name].ranges.flatMap((r) =>
        (r.coBadgedWith ?? []).map((partner) => [name, `${r.low}-${r.high}`, partner] as const),
      ),
    ),
  )('%s co-badge range %s lies inside %s', (_name, span, partner) => {
    const [low = '', high = ''] = span.split('-');
    const inside = (p: string) =>
      NETWORKS[partner].ranges.some((r) => prefixMatchWidth(r, p) === r.low.length);
    expect(inside(low) && inside(high)).toBe(true);
  });

  it.each([
    ['056', 'CARNET'],
    ['058', 'CARNET'],
    ['024', undefined],
    ['999', undefined],
    ['', undefined],
  ] as const)('networkByCardType(%j) → %s', (code, name) => {
    expect(networkByCardType(code)?.name).toBe(name);
  });
});

describe('TEST_CARDS', () => {
  it('includes exactly the real sandbox cards of API-FACTS §6 as sandbox', () => {
    expect(TEST_CARDS.filter((c) => c.source === 'sandbox').map((c) => c.number)).toEqual([
      '4111111111111111',
      '5555555555554444',
      '2222420000001113',
      '378282246310005',
      '6011111111111117',
      '3566111111111113',
    ]);
  });

  it.each(NETWORK_NAMES)('has a number for %s', (name) => {
    expect(TEST_CARDS.some((c) => c.network === name)).toBe(true);
  });

  it.each(
    NETWORK_NAMES.flatMap((name) =>
      [...new Set(NETWORKS[name].ranges.flatMap((r) => r.coBadgedWith ?? []))].map(
        (partner) => [name, partner] as const,
      ),
    ),
  )('has a number for the %s + %s co-badge', (name, partner) => {
    expect(
      TEST_CARDS.some((c) => c.network === name && (c.coBadgedWith ?? []).includes(partner)),
    ).toBe(true);
  });

  it('has no duplicate numbers', () => {
    expect(new Set(TEST_CARDS.map((c) => c.number)).size).toBe(TEST_CARDS.length);
  });
});

describe('browser safety', () => {
  const dir = join(import.meta.dirname, '../../../cybersource/networks');
  it.each(readdirSync(dir).filter((f) => f.endsWith('.ts')))(
    '%s imports only relative modules',
    (f) => {
      const source = readFileSync(join(dir, f), 'utf8');
      const specifiers = [...source.matchAll(/from '([^']+)'/g)].map((m) => m[1]);
      for (const s of specifiers) expect(s).toMatch(/^\.\//);
    },
  );
});
