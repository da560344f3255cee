import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { microformOrigins } from '../../../server-stub/http/security/csp.ts';
import { type Harness, harness, Shopper } from '../harness.ts';
import { limits } from '../limits/support.ts';

/** The CSP as directive → sources. */
function csp(headers: Headers, name = 'content-security-policy'): Map<string, string[]> {
  const value = headers.get(name) ?? '';
  return new Map(
    value
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .filter((parts) => parts[0])
      .map(([directive = '', ...sources]) => [directive, sources]),
  );
}

const nonceOf = (headers: Headers) =>
  /'nonce-([A-Za-z0-9+/=]+)'/.exec(headers.get('content-security-policy') ?? '')?.[1];

describe('on the default (emulator) configuration', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await harness({
      mount: (app) => {
        app.get('/page', (c) =>
          c.html(`<script nonce="${c.get('cspNonce')}" src="/checkout.js"></script>`),
        );
      },
    });
  });
  afterAll(() => h.close());
  const get = (path: string) => h.stub.app.request(`http://localhost:3000${path}`);

  it('sends the policy derived from the emulator origin, with a nonce for scripts and styles', async () => {
    const res = await get('/api/catalog');
    expect(res.status).toBe(200);
    const policy = csp(res.headers);
    const nonce = `'nonce-${nonceOf(res.headers)}'`;
    expect(Object.fromEntries(policy)).toEqual({
      'default-src': ["'self'"],
      'script-src': ["'self'", nonce, 'http://localhost:4010'],
      'style-src': ["'self'", nonce],
      'connect-src': ["'self'", 'http://localhost:4010'],
      'frame-src': ['http://localhost:4010'],
      'img-src': ["'self'", 'data:'],
      'object-src': ["'none'"],
      'base-uri': ["'none'"],
      'form-action': ["'self'"],
      'frame-ancestors': ["'self'"],
    });
  });

  it('sends a fresh nonce on every response, the one a mounted page reads', async () => {
    const a = await get('/page');
    const b = await get('/page');
    const na = nonceOf(a.headers);
    const nb = nonceOf(b.headers);
    expect(na).toMatch(/^[A-Za-z0-9+/]{22}==$/);
    expect(nb).not.toBe(na);
    expect(await a.text()).toContain(`nonce="${na}"`);
  });

  it('sends the other headers, and no HSTS over http', async () => {
    const res = await get('/api/catalog');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('referrer-policy')).toBe('strict-origin-when-cross-origin');
    expect(res.headers.get('cross-origin-opener-policy')).toBe('same-origin');
    expect(res.headers.get('x-frame-options')).toBe('SAMEORIGIN');
    expect(res.headers.get('strict-transport-security')).toBeNull();
    expect(res.headers.get('content-security-policy-report-only')).toBeNull();
  });

  it('puts them on error answers too: 404, 403, 400 and 429', async () => {
    const answers = [
      await get('/nope'),
      await get('/api/nope'),
      await h.stub.app.request('http://localhost:3000/api/checkout/sessions', {
        method: 'POST',
        headers: { origin: 'https://evil.example', 'idempotency-key': 'k-evil-1' },
      }),
      await h.stub.app.request('http://localhost:3000/api/checkout/payments', {
        method: 'POST',
        headers: { origin: 'http://localhost:3000', 'content-type': 'application/json' },
        body: '{',
      }),
    ];
    expect(answers.map((r) => r.status)).toEqual([404, 404, 403, 400]);
    for (const res of answers) {
      expect(csp(res.headers).get('frame-src')).toEqual(['http://localhost:4010']);
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    }
  });

  it('lets no cache keep an API answer: the shopper cookie, saved cards, errors', async () => {
    const s = new Shopper(h);
    const first = await s.request('POST', '/api/checkout/sessions', {});
    expect(first.headers.get('set-cookie')).toMatch(/^checkout_shopper=/);
    const answers = [
      first,
      await s.request('GET', '/api/catalog'),
      await s.request('GET', '/api/payment-methods'),
      await new Shopper(h, 'https://evil.example').request('GET', '/api/catalog'),
      await get('/api/nope'),
    ];
    expect(answers.map((r) => r.status)).toEqual([201, 200, 200, 403, 404]);
    for (const res of answers) {
      expect(res.headers.get('cache-control')).toBe('no-store');
      expect(res.headers.get('vary')).toMatch(/Origin/);
    }
  });
});

describe('a 429', () => {
  it('carries the security headers and Retry-After', async () => {
    const h = await harness({
      overrides: {
        limits: limits({ sessionsPerShopper: { max: 1, windowMs: 60_000 } }),
        // Every request a new session (none resumed), so the second is refused.
        sessionReuseMs: 0,
      },
    });
    try {
      const s = new Shopper(h);
      expect((await s.request('POST', '/api/checkout/sessions', {})).status).toBe(201);
      const r = await s.request('POST', '/api/checkout/sessions', {});
      expect(r.status).toBe(429);
      expect(Number(r.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(nonceOf(r.headers)).toBeDefined();
    } finally {
      await h.close();
    }
  });
});

describe('origins derived from CYBERSOURCE_BASE_URL', () => {
  const FLEX = ['https://flex.cybersource.com', 'https://testflex.cybersource.com'];
  it.each([
    ['http://localhost:4010', ['http://localhost:4010']],
    ['http://127.0.0.1:9999/some/path', ['http://127.0.0.1:9999']],
    ['https://apitest.cybersource.com', ['https://testflex.cybersource.com']],
    ['https://api.cybersource.com', ['https://flex.cybersource.com']],
    ['https://apitest.sa.cybersource.com', ['https://testflex.cybersource.com']],
    ['https://api.in.cybersource.com', ['https://flex.cybersource.com']],
    // The emulator elsewhere, or a proxy in front of CyberSource (its library on flex hosts).
    ['https://emulator.internal.example', ['https://emulator.internal.example', ...FLEX]],
  ])('%s → %s', (baseUrl, origins) => {
    expect(microformOrigins(baseUrl)).toEqual(origins);
  });

  it.each([
    ['https://apitest.cybersource.com', 'https://testflex.cybersource.com'],
    ['https://api.cybersource.com', 'https://flex.cybersource.com'],
  ])('the stub for %s allows scripts, frames and XHR from %s only', async (baseUrl, origin) => {
    const h = await harness({ env: { CYBERSOURCE_BASE_URL: baseUrl } });
    try {
      const policy = csp((await h.stub.app.request('http://localhost:3000/api/catalog')).headers);
      expect(policy.get('script-src')?.filter((s) => !s.startsWith("'"))).toEqual([origin]);
      expect(policy.get('frame-src')).toEqual([origin]);
      expect(policy.get('connect-src')).toEqual(["'self'", origin]);
    } finally {
      await h.close();
    }
  });
});

describe('configuration', () => {
  it('sends HSTS when the public origin is https', async () => {
    const h = await harness({ env: { CHECKOUT_PUBLIC_URL: 'https://shop.example' } });
    try {
      const res = await h.stub.app.request('https://shop.example/api/catalog');
      expect(res.headers.get('strict-transport-security')).toBe(
        'max-age=31536000; includeSubDomains',
      );
    } finally {
      await h.close();
    }
  });

  it('takes frame-ancestors from CSP_FRAME_ANCESTORS and can report only', async () => {
    const h = await harness({
      env: { CSP_FRAME_ANCESTORS: 'self, https://shop.example', CSP_REPORT_ONLY: 'true' },
    });
    try {
      const res = await h.stub.app.request('http://localhost:3000/api/catalog');
      expect(res.headers.get('content-security-policy')).toBeNull();
      const policy = csp(res.headers, 'content-security-policy-report-only');
      expect(policy.get('frame-ancestors')).toEqual(["'self'", 'https://shop.example']);
      expect(res.headers.get('x-frame-options')).toBeNull();
    } finally {
      await h.close();
    }
  });

  it("refuses every frame with CSP_FRAME_ANCESTORS=none: frame-ancestors 'none' and X-Frame-Options DENY", async () => {
    const h = await harness({ env: { CSP_FRAME_ANCESTORS: 'none' } });
    try {
      const res = await h.stub.app.request('http://localhost:3000/api/catalog');
      expect(csp(res.headers).get('frame-ancestors')).toEqual(["'none'"]);
      expect(res.headers.get('x-frame-options')).toBe('DENY');
    } finally {
      await h.close();
    }
  });
});
