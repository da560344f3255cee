// @vitest-environment happy-dom
import { describe, expect, test, vi } from 'vitest';
import { z } from 'zod';
import { NETWORK_NAMES, NETWORKS as SHARED_NETWORKS } from '../../cybersource/networks/index.ts';
import { call, retryAfter, STALL_MS } from '../../widget/api/client.ts';
import {
  parseCatalogItem,
  parsePaymentMethods,
  parsePaymentResult,
  parseSession,
} from '../../widget/api/parse.ts';
import { declineMessage } from '../../widget/checkout/reasons.ts';
import { checkExpiry, formatExpiry, isEmail, parseAmount } from '../../widget/checkout/validate.ts';
import { parseOptions } from '../../widget/options.ts';
import { brandName, NETWORKS, network } from '../../widget/ui/networks.ts';

describe('validation helpers', () => {
  const now = new Date(2026, 10, 26);
  test.each([
    ['', 'required'],
    ['1/30', 'expiryInvalid'],
    ['13/30', 'expiryInvalid'],
    ['10/26', 'expiryPast'],
    ['11/26', { month: '11', year: '2026' }],
    ['1130', { month: '11', year: '2030' }],
    ['02/41', { month: '02', year: '2041' }],
  ])('expiry %j → %j', (v, want) => expect(checkExpiry(v, now)).toEqual(want));

  test.each([
    ['1', '1'],
    ['12', '12'],
    ['123', '12/3'],
    ['12/34', '12/34'],
    ['12345', '12/34'],
    ['ab1c2', '12'],
    // Pasted or autofilled with a four-digit year; typed one digit at a time.
    ['01/2027', '01/27'],
    ['012027', '01/27'],
    ['12 / 2030', '12/30'],
    ['01/202', '01/202'],
    ['01/20', '01/20'],
    ['1/2027', '01/27'],
    ['1/', '01'],
    ['1/2', '01/2'],
    ['01/275', '01/27'],
  ])('formatExpiry %j → %j', (v, want) => expect(formatExpiry(v)).toBe(want));

  test.each([
    ['12', 'en', 1200],
    ['12.5', 'en', 1250],
    ['0.99', 'en', 99],
    ['1,234.56', 'en', 123456],
    ['1234.56', 'en', 123456],
    ['1,234,567', 'en', 123456700],
    // Ambiguous: refused, never read as 12.345 or 12345.
    ['12.345', 'en', undefined],
    ['1.234,5', 'en', undefined],
    // One comma before the last one or two digits: no grouping writes it, so it is a decimal
    // mark, as a French keyboard's shopper on an English page means it.
    ['12,05', 'en', 1205],
    ['1,2', 'en', 120],
    ['1,234,5', 'en', undefined],
    ['-1', 'en', undefined],
    ['', 'en', undefined],
    ['1,234.56', 'en-CA', 123456],
    // German writes "5.000" and "1.234,56" (its own hint: "5,00 $ bis 5.000,00 $").
    ['5.000', 'de', 500000],
    ['1.234,56', 'de', 123456],
    ['12,05', 'de', 1205],
    ['10,00', 'de', 1000],
    ['12.5', 'de', 1250],
    ['1234.56', 'de', 123456],
    ['1,234.56', 'de', undefined],
    ['1.234.5', 'de', undefined],
    // French groups with a narrow no-break space (fr) or a no-break space (fr-CA); any space reads.
    ['1\u202f234,56', 'fr', 123456],
    ['1 234,56', 'fr', 123456],
    ['1\u00a0234,56', 'fr-CA', 123456],
    ['1 234,56', 'fr-CA', 123456],
    ['1.234,56', 'fr', undefined],
    ['12.50', 'fr', 1250],
    ['12.50', 'fr-CA', 1250],
    ['1 234.56', 'fr', undefined],
    // Spanish groups from five digits, so separators are read from 12345678.5: "1,500" is
    // neither 1.50 nor 1500.
    ['1,500', 'es', undefined],
    ['1.500', 'es', 150000],
    ['1.50', 'es', 150],
    ['1500,5', 'es', 150050],
    ['12.345,67', 'es', 1234567],
    // Binary floats: 19.99 * 100 is 1998.9999…, so cents are rounded, never cut to 1998.
    ['19.99', 'en', 1999],
    ['4,35', 'de', 435],
    ['1.15', 'en', 115],
    ['0,29', 'fr', 29],
    ['8.2', 'en', 820],
    ['1.024,09', 'de', 102409],
  ])('parseAmount %j in %s → %j', (v, tag, want) => expect(parseAmount(v, tag)).toBe(want));

  test('email', () => {
    expect(isEmail('a@b.co')).toBe(true);
    expect(isEmail('a@b')).toBe(false);
    expect(isEmail('a b@c.de')).toBe(false);
  });

  // An address the widget let through and the stub refused read "Something went wrong" on Pay.
  test.each([
    'ada@example.com',
    'ADA.Lovelace+shop@Example.CO.uk',
    "o'brien@example.ie",
    'a_b-c@sub-domain.example.org',
    'ada@example.com.',
    'ada@example..com',
    'ada.@example.com',
    '.ada@example.com',
    'ada..lovelace@example.com',
    'ada@example.c',
    'ada@-example.com',
    'ada@example.123',
    'ada@exa_mple.com',
    'müller@example.de',
    'ada@exämple.de',
    'ada@@example.com',
    'ada@example',
    'ada@ example.com',
  ])('isEmail(%j) agrees with the stub’s z.email()', (v) => {
    expect(isEmail(v)).toBe(z.email().safeParse(v).success);
  });

  test.each([
    ['INSUFFICIENT_FUND', 'insufficient'],
    ['EXPIRED_CARD', 'expired'],
    ['CV_FAILED', 'cvvDeclined'],
    ['CVN_NOT_MATCH', 'cvvDeclined'],
    ['INVALID_CVN', 'cvvDeclined'],
    ['STOLEN_LOST_CARD', 'declined'],
    ['', 'declined'],
  ])('decline %s → %s', (reason, key) => expect(declineMessage(reason)).toBe(key));
});

describe('stub answers are parsed, never trusted', () => {
  test('catalog: items, products or plans; the top-level currency; bounds', () => {
    const body = {
      currency: 'CAD',
      plans: [{ id: 'p', name: 'Plan', amount: 999, interval: 'month' }],
      items: [
        { id: 'd', customAmount: { min: 100, max: 50 } },
        { id: 'e', currency: 'GBP' },
      ],
    };
    expect(parseCatalogItem(body, 'p')).toEqual({
      id: 'p',
      name: 'Plan',
      currency: 'CAD',
      amount: 999,
      interval: 'month',
      custom: undefined,
    });
    expect(parseCatalogItem(body, 'd')).toMatchObject({ id: 'd', name: 'd', custom: undefined });
    expect(parseCatalogItem(body, 'e')).toBeUndefined();
    expect(parseCatalogItem(body, 'zzz')).toBeUndefined();
    expect(parseCatalogItem(null, 'p')).toBeUndefined();
  });

  test('session: required fields; expiresAt ISO or epoch ms; expiresIn; the declared library origin', () => {
    expect(
      parseSession({ sessionId: 's', captureContext: 'c', expiresAt: '2026-01-01T00:15:00Z' }),
    ).toEqual({
      sessionId: 's',
      captureContext: 'c',
      expiresAt: Date.parse('2026-01-01T00:15:00Z'),
      // Not sent (another backend): no bound beyond the capture context's own lifetime.
      expiresIn: 1e9,
      environment: 'production',
      libraryOrigin: undefined,
      requireBillingAddress: false,
    });
    expect(
      parseSession({ sessionId: 's', captureContext: 'c', expiresAt: 5, testMode: true })
        ?.environment,
    ).toBe('sandbox');
    expect(
      parseSession({ sessionId: 's', captureContext: 'c', expiresAt: 5, expiresIn: 600 })
        ?.expiresIn,
    ).toBe(600);
    // Not a whole number of seconds: as if not sent.
    expect(
      parseSession({ sessionId: 's', captureContext: 'c', expiresAt: 5, expiresIn: '600' })
        ?.expiresIn,
    ).toBe(1e9);
    expect(
      parseSession({
        sessionId: 's',
        captureContext: 'c',
        expiresAt: 5,
        environment: 'emulator',
        libraryOrigin: 'http://localhost:4010',
      })?.libraryOrigin,
    ).toBe('http://localhost:4010');
    expect(
      parseSession({
        sessionId: 's',
        captureContext: 'c',
        expiresAt: 5,
        environment: 'production',
        libraryOrigin: 42,
      })?.libraryOrigin,
    ).toBeUndefined();
    expect(parseSession({ sessionId: 's', expiresAt: 5 })).toBeUndefined();
    expect(
      parseSession({ sessionId: 's', captureContext: 'c', expiresAt: 'soon' }),
    ).toBeUndefined();
  });

  test('payment methods and results', () => {
    expect(
      parsePaymentMethods({
        paymentMethods: [
          { id: 'a', last4: '12345' },
          { id: 'b', last4: '4242', brand: 'VISA', isDefault: true },
          'x',
        ],
      }),
    ).toEqual([
      {
        id: 'b',
        brand: 'VISA',
        last4: '4242',
        expirationMonth: undefined,
        expirationYear: undefined,
        isDefault: true,
      },
    ]);
    expect(parsePaymentMethods({})).toEqual([]);
    expect(
      parsePaymentResult({
        payment: { id: 'p', amount: 5, card: { last4: '1' } },
        subscription: { id: 's' },
      }),
    ).toEqual({
      payment: {
        id: 'p',
        status: '',
        amount: 5,
        currency: undefined,
        card: { brand: '', last4: '1' },
      },
      subscription: { id: 's' },
    });
    expect(parsePaymentResult({ payment: { id: 'p', amount: -1 } })).toBeUndefined();
  });

  test('Retry-After as seconds or an HTTP date', () => {
    expect(retryAfter('7')).toBe(7);
    expect(retryAfter(new Date(Date.now() + 61_000).toUTCString())).toBeGreaterThanOrEqual(60);
    expect(retryAfter(null)).toBe(30);
    expect(retryAfter('soon')).toBe(30);
  });
});

describe('card networks', () => {
  test('the same 15 networks and codes as cybersource/networks', () => {
    // The widget keeps its own tiny table for size; this keeps it from drifting.
    expect(NETWORKS.map((n) => n[0]).sort()).toEqual([...NETWORK_NAMES].sort());
    for (const n of NETWORKS) {
      const shared = SHARED_NETWORKS[n[0] as keyof typeof SHARED_NETWORKS];
      expect(n.slice(3), n[0]).toContain(shared.cybsCardType);
      expect(
        n.slice(3).every((code) => /^\d{3}$/.test(code)),
        n[0],
      ).toBe(true);
    }
  });

  test.each([
    ['001', 'VISA'],
    ['visa', 'VISA'],
    ['MasterCard', 'MASTERCARD'],
    ['American Express', 'AMEX'],
    ['024', 'MAESTRO'],
    ['058', 'CARNET'],
    ['China UnionPay', 'CUP'],
    ['unionpay', 'CUP'],
    ['cartesbancaires', 'CARTESBANCAIRES'],
    ['cartes-bancaires', 'CARTESBANCAIRES'],
    ['diners-club', 'DINERSCLUB'],
    ['cup', 'CUP'],
    ['jcrew', 'JCREW'],
    ['046', 'JCREW'],
  ])('%s → %s', (brand, key) => expect(network(brand)?.[0]).toBe(key));

  test('unknown brands are shown as written', () => {
    expect(network('RUPAY')).toBeUndefined();
    expect(brandName('RUPAY')).toBe('RUPAY');
  });
});

test('options: the required pair, https (http only on localhost), callbacks are functions', () => {
  expect(parseOptions({ endpoint: 'http://localhost:3000/', item: 'x' })).toEqual({
    ok: true,
    options: { endpoint: 'http://localhost:3000', item: 'x' },
  });
  expect(parseOptions({ endpoint: 'http://localhost.evil.example', item: 'x' }).ok).toBe(false);
  expect(parseOptions({ endpoint: 'https://a.example', item: 'x', onSuccess: 'alert(1)' })).toEqual(
    {
      ok: false,
      name: 'onSuccess',
      message: 'must be a function',
    },
  );
  expect(parseOptions('nope')).toMatchObject({ ok: false, name: 'endpoint' });
  // Unknown keys are dropped, not passed on.
  expect(parseOptions({ endpoint: 'https://a.example', item: 'x', container: '#c' })).toEqual({
    ok: true,
    options: { endpoint: 'https://a.example', item: 'x' },
  });
});

test('options: an endpoint is an origin and a base path, never a query, fragment or credentials; fr_CA is fr-CA', () => {
  for (const endpoint of [
    'https://shop.example/?v=1',
    'https://shop.example/#pay',
    'https://user@shop.example',
    'http://localhost:3000/?v=1',
  ])
    expect(parseOptions({ endpoint, item: 'x' }), endpoint).toMatchObject({
      ok: false,
      name: 'endpoint',
    });
  for (const endpoint of ['https://shop.example/checkout/', 'http://127.0.0.1:3000/api-base'])
    expect(parseOptions({ endpoint, item: 'x' }).ok, endpoint).toBe(true);
  expect(parseOptions({ endpoint: 'https://a.example', item: 'x', locale: 'fr_CA' })).toEqual({
    ok: true,
    options: { endpoint: 'https://a.example', item: 'x', locale: 'fr-CA' },
  });
});

test('a request with no answer after a minute (a connection gone quiet) reads as lost, as a thrown fetch does', async () => {
  const stall = new AbortController();
  const timeout = vi.spyOn(AbortSignal, 'timeout').mockReturnValue(stall.signal);
  const fetchMock = vi.fn(
    (_: unknown, init?: RequestInit) =>
      new Promise<Response>((_, reject) =>
        init?.signal?.addEventListener('abort', () => reject(init.signal?.reason)),
      ),
  );
  vi.stubGlobal('fetch', fetchMock);
  try {
    const answer = call('https://shop.example', 'POST', '/api/checkout/payments', {}, 'key-1');
    expect(timeout).toHaveBeenCalledWith(STALL_MS);
    stall.abort(new DOMException('timed out', 'TimeoutError'));
    expect(await answer).toBeUndefined();
  } finally {
    vi.unstubAllGlobals();
    timeout.mockRestore();
  }
});
