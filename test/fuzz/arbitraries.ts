/**
 * Hostile inputs for the stub's public endpoints: arbitrary JSON, malformed bytes, oversized
 * bodies, prototype-pollution keys, weird path ids, query strings and headers. Every generator
 * here produces input that is invalid by construction where its name says so; the tests never
 * ask the stub's own schemas which inputs are invalid.
 */
import * as fc from 'fast-check';
import { CARD_NUMBERS } from './support.ts';

/** Over `MAX_BODY_BYTES` (16 KiB). */
export const OVERSIZED = 16 * 1024 + 1;

export const POLLUTION_KEYS = ['__proto__', 'constructor', 'prototype'] as const;

const nasty = [
  '',
  ' ',
  '..',
  '../..',
  '%00',
  '\u0000',
  '\u202e',
  '\ufeff',
  'null',
  'undefined',
  'NaN',
  '__proto__',
  'constructor',
  'prototype',
  '<script>alert(1)</script>',
  "' OR 1=1 --",
  '"; DROP TABLE payments; --',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a template-injection probe, on purpose
  '${7*7}',
  '{{7*7}}',
  '😀',
  'a'.repeat(300),
] as const;

export const cardNumber = fc.constantFrom(...CARD_NUMBERS);

/** Any string, including the nasty classics and card numbers pasted where they do not belong. */
export const hostileString = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc.constantFrom(...nasty),
  cardNumber,
  cardNumber.map((n) => `${n.slice(0, 4)} ${n.slice(4, 8)} ${n.slice(8, 12)} ${n.slice(12)}`),
  fc.integer({ min: 129, max: 2000 }).map((n) => 'x'.repeat(n)),
);

/** Object keys, including prototype-pollution keys and card numbers. */
export const hostileKey = fc.oneof(
  { weight: 3, arbitrary: fc.string({ maxLength: 20 }) },
  { weight: 2, arbitrary: fc.constantFrom(...POLLUTION_KEYS) },
  { weight: 1, arbitrary: cardNumber },
  { weight: 1, arbitrary: fc.constantFrom('cardNumber', 'number', 'securityCode', 'amount') },
);

/** Any JSON value, objects built with own `__proto__`/`constructor` keys too. */
export const hostileJson: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.jsonValue({ maxDepth: 2 }),
    hostileString,
    fc.double(),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.array(fc.tuple(hostileKey, tie('value')), { maxLength: 5 }).map(ownObject),
  ),
})).value;

/** An object whose keys are own properties even when named `__proto__`. */
export function ownObject(
  entries: readonly (readonly [string, unknown])[],
): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  for (const [k, v] of entries) {
    Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });
  }
  return o;
}

/** Raw JSON texts whose pollution payload would set `({}).polluted` if merged naively. */
export const pollutionJson = fc.constantFrom(
  '{"__proto__":{"polluted":"yes"}}',
  '{"constructor":{"prototype":{"polluted":"yes"}}}',
  '{"item":{"id":"tshirt","__proto__":{"polluted":"yes"}}}',
  '{"billTo":{"__proto__":{"polluted":"yes"}},"item":{"id":"tshirt"}}',
  '{"amount":1,"__proto__":{"polluted":"yes"}}',
  '[{"__proto__":{"polluted":"yes"}}]',
);

/** Bytes that are not JSON, or are JSON cut short, or not even UTF-8. */
export const malformedJson = fc.oneof(
  fc.constantFrom(
    '{',
    '{"a":',
    '{"a":1,}',
    "{'a':1}",
    '[1,2',
    'NaN',
    'undefined',
    '{"a":1}{"b":2}',
    '\u0000',
    '\ufeff{}x',
    '{"a":"\\ud800"',
    '--boundary\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n--boundary--',
    'sessionId=cs_1&transientToken=a.b.c',
  ),
  fc.uint8Array({ minLength: 1, maxLength: 64 }).filter((b) => {
    try {
      JSON.parse(new TextDecoder().decode(b));
      return false;
    } catch {
      return true;
    }
  }),
  fc.string({ minLength: 1, maxLength: 40 }).filter((s) => {
    try {
      JSON.parse(s);
      return false;
    } catch {
      return true;
    }
  }),
);

/** Bodies over the limit: a long JSON string, a wide object, or junk. */
export const oversizedBody = fc.oneof(
  fc.integer({ min: OVERSIZED, max: 64 * 1024 }).map((n) => JSON.stringify({ pad: 'a'.repeat(n) })),
  fc
    .integer({ min: 2000, max: 4000 })
    .map((n) =>
      JSON.stringify(Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, i]))),
    ),
  fc.integer({ min: OVERSIZED, max: 40_000 }).map((n) => '['.repeat(n)),
);

export const contentType = fc.constantFrom(
  undefined,
  'application/json',
  'application/json; charset=utf-8',
  'application/json; charset=utf-16',
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=boundary',
  'application/xml',
  'garbage/;;;',
  '',
);

/** An Idempotency-Key the stub must refuse: empty, too long, or not visible ASCII. */
export const badIdempotencyKey = fc.oneof(
  fc.constant(''),
  fc.integer({ min: 256, max: 20_000 }).map((n) => 'k'.repeat(n)),
  fc.constant('two, keys'),
  fc.constant('key with spaces'),
  // Control characters `fetch` still carries (it refuses NUL, CR and LF outright), kept inside
  // the value: `fetch` trims a header's leading and trailing tabs and spaces, so "k\t " would
  // arrive as the valid key "k".
  fc
    .string({ unit: 'binary-ascii', minLength: 1, maxLength: 20 })
    .map((s) => `k\t${s.replace(/[\0\r\n]/g, '\x01')}k`),
  // Latin-1 bytes are legal header values but not visible ASCII.
  fc.string({ minLength: 1, maxLength: 8 }).map((s) => `k\u00e9${s}`),
);

/** Header values `fetch` will carry (no CR/LF/NUL), from plain to odd. */
export const headerValue = fc.oneof(
  fc.string({ maxLength: 60 }),
  fc.stringMatching(/^[\x20-\x7e\x80-\xff]{0,80}$/),
  fc.integer({ min: 1000, max: 12_000 }).map((n) => 'h'.repeat(n)),
  cardNumber,
);

/** Origins that are not the stub's own or an allowed site. */
export const foreignOrigin = fc.oneof(
  fc.constantFrom(
    'null',
    'https://evil.example',
    'http://localhost:3000.evil.example',
    'http://localhost:3001',
    'https://localhost:3000',
    'http://LOCALHOST:3000',
    'http://localhost:3000/',
    'http://localhost:3000, https://evil.example',
    'file://',
    '*',
  ),
  fc
    .webUrl()
    .map((u) => new URL(u).origin)
    .filter((o) => o !== 'http://localhost:3000'),
  headerValue.filter((v) => v.trim() !== 'http://localhost:3000' && v.trim() !== ''),
);

/** Authorization headers that are not `Bearer <ADMIN_TOKEN>`. */
export const badAuthorization = (adminToken: string) =>
  fc.oneof(
    fc.constant(undefined),
    fc.constantFrom(
      '',
      'Bearer',
      'Bearer ',
      `Basic ${Buffer.from(`admin:${adminToken}`).toString('base64')}`,
      `Bearer ${adminToken}x`,
      `Bearer ${adminToken.slice(0, -1)}`,
      `Bearer ${adminToken} ${adminToken}`,
      `Token ${adminToken}`,
      `Bearer ${adminToken.toUpperCase()}`,
    ),
    headerValue.map((v) => `Bearer ${v}`),
    headerValue,
  );

/** Path segments that name nothing: unicode, traversal, very long, PAN-shaped, bad escapes. */
export const weirdPathId = fc.oneof(
  hostileString
    .filter((s) => s.length > 0)
    .map((s) => encodeURIComponent(s.replace(/[\ud800-\udfff]/g, 'x'))),
  fc.constantFrom(
    '..',
    '.',
    '%2e%2e',
    '..%2f..%2fetc%2fpasswd',
    '%2F',
    '%',
    '%zz',
    '%E0%A4%A',
    '%C0%AE%C0%AE',
    '%00',
    '%F0%9F%98%80',
    'x'.repeat(129),
    'x'.repeat(5000),
    'pay_does-not-exist',
    'sub_does-not-exist',
    'pi_does-not-exist',
    '4111111111111111',
  ),
);

/** Query strings (without `?`), including duplicates, bad escapes and huge values. */
export const weirdQuery = fc.oneof(
  fc
    .array(fc.tuple(hostileString, hostileString), { minLength: 1, maxLength: 4 })
    .map((pairs) =>
      pairs
        .map(
          ([k, v]) =>
            `${encodeURIComponent(k.replace(/[\ud800-\udfff]/g, 'x') || 'k')}=${encodeURIComponent(v.replace(/[\ud800-\udfff]/g, 'x'))}`,
        )
        .join('&'),
    ),
  fc.constantFrom(
    '%',
    '%zz=1',
    'a=%E0%A4%A',
    '&&&',
    '=',
    '==',
    'a',
    'a=1&a=2',
    '__proto__[polluted]=yes',
    'constructor[prototype][polluted]=yes',
    `q=${'x'.repeat(10_000)}`,
    'card=4111111111111111',
  ),
);

const b64urlJson = (v: unknown) => Buffer.from(JSON.stringify(v) ?? 'null').toString('base64url');

/**
 * Compact-JWS-shaped strings no key signed: JSON (or junk) headers with every `alg` a confused
 * verifier might honour, any payload, any signature bytes.
 */
export const arbitraryJwtLike = fc
  .tuple(
    fc.oneof(
      fc.record(
        {
          alg: fc.constantFrom('RS256', 'none', 'HS256', 'ES256', 'PS256', 'RS512', '', 'rs256'),
          kid: fc.oneof(fc.string({ maxLength: 40 }), fc.constantFrom('../../etc/passwd', '')),
          typ: fc.constantFrom('JWT', 'at+jwt'),
          jku: fc.constant('https://evil.example/jwks'),
          crit: fc.constant(['exp']),
          b64: fc.boolean(),
        },
        { requiredKeys: ['alg'] },
      ),
      hostileJson,
    ),
    fc.oneof(
      fc.record(
        {
          jti: fc.string({ minLength: 1, maxLength: 64 }),
          iat: fc.integer(),
          exp: fc.oneof(fc.integer(), fc.constant(4_102_444_800)),
          content: hostileJson,
        },
        { requiredKeys: [] },
      ),
      hostileJson,
    ),
    fc.oneof(
      fc
        .uint8Array({ minLength: 1, maxLength: 300 })
        .map((b) => Buffer.from(b).toString('base64url')),
      fc.stringMatching(/^[A-Za-z0-9_-]{1,40}$/),
    ),
  )
  .map(
    ([header, payload, signature]) => `${b64urlJson(header)}.${b64urlJson(payload)}.${signature}`,
  );
