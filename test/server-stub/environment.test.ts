import { describe, expect, it } from 'vitest';
import { environmentOf, libraryOrigin } from '../../server-stub/checkout/environment.ts';
import { harness, Shopper } from './harness.ts';

describe('environment the widget is told about', () => {
  const TEST_LIB = 'https://testflex.cybersource.com/microform/bundle/v2.0.2/flex-microform.min.js';
  const LIVE_LIB = 'https://flex.cybersource.com/microform/bundle/v2.0.2/flex-microform.min.js';
  const EMULATOR_LIB = 'http://localhost:4010/microform/bundle/v2.0.2/flex-microform.min.js';

  it.each([
    // CyberSource's and Visa Acceptance's API hosts say it themselves (API-FACTS §1.1).
    ['https://apitest.cybersource.com', TEST_LIB, 'sandbox'],
    ['https://apitest.sa.cybersource.com', TEST_LIB, 'sandbox'],
    ['https://apitest.visaacceptance.com', undefined, 'sandbox'],
    ['https://api.cybersource.com', LIVE_LIB, 'production'],
    ['https://api.in.cybersource.com', LIVE_LIB, 'production'],
    ['https://api.visaacceptance.com', undefined, 'production'],
    // Behind a proxy: the verified capture context's library tells.
    ['https://cybersource-egress.internal.example', LIVE_LIB, 'production'],
    ['https://cybersource-egress.internal.example', TEST_LIB, 'sandbox'],
    ['https://apitest.cybersource.com.evil.example', LIVE_LIB, 'production'],
    // The emulator serves its own library, on this machine or another.
    ['http://localhost:4010', EMULATOR_LIB, 'emulator'],
    [
      'http://emulator:4010',
      'http://emulator:4010/microform/bundle/v2/flex-microform.min.js',
      'emulator',
    ],
    // Not known to be a test: never "Test mode" on a checkout that may be live.
    [
      'https://api.gateway.example',
      'https://assets.gateway.example/flex-microform.min.js',
      'production',
    ],
    ['https://api.gateway.example', 'not a url', 'production'],
  ] as const)('%s with library %s is %s', (url, lib, env) => {
    expect(environmentOf(url, lib)).toBe(env);
  });

  it('declares the library origin only when the widget would not know it', () => {
    expect(libraryOrigin(EMULATOR_LIB)).toBe('http://localhost:4010');
    expect(libraryOrigin('https://testflex.visaacceptance.com/microform/v2/x.js')).toBe(
      'https://testflex.visaacceptance.com',
    );
    expect(libraryOrigin(TEST_LIB)).toBeUndefined();
    expect(libraryOrigin(LIVE_LIB)).toBeUndefined();
    expect(libraryOrigin('not a url')).toBeUndefined();
    expect(libraryOrigin('data:text/javascript,alert(1)')).toBeUndefined();
  });

  it('comes with every checkout session', async () => {
    const h = await harness();
    try {
      const r = await new Shopper(h).request('POST', '/api/checkout/sessions', {});
      expect(r.status).toBe(201);
      expect(r.body.environment).toBe('emulator');
      expect(r.body.libraryOrigin).toBe('http://localhost:4010');
    } finally {
      await h.close();
    }
  });
});

describe('billing address', () => {
  it.each([
    [{}, false],
    [{ CHECKOUT_REQUIRE_BILLING_ADDRESS: 'true' }, true],
  ] as const)('is asked of the widget as configured (%o)', async (env, expected) => {
    const h = await harness({ env });
    try {
      const r = await new Shopper(h).request('POST', '/api/checkout/sessions', {});
      expect(r.body.requireBillingAddress).toBe(expected);
    } finally {
      await h.close();
    }
  });
});
