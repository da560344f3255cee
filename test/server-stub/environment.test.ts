import { describe, expect, it } from 'vitest';
import { emulatorOrigin, environmentOf } from '../../server-stub/checkout/environment.ts';
import { harness, Shopper } from './harness.ts';

describe('environment the widget is told about', () => {
  it.each([
    ['https://apitest.cybersource.com', 'sandbox'],
    ['https://apitest.sa.cybersource.com', 'sandbox'],
    ['https://api.cybersource.com', 'production'],
    ['https://api.in.cybersource.com', 'production'],
    ['http://localhost:4010', 'emulator'],
    ['https://apitest.cybersource.com.evil.example', 'emulator'],
  ] as const)('%s is %s', (url, env) => {
    expect(environmentOf(url)).toBe(env);
  });

  it('declares a library origin for the emulator only', () => {
    const lib = 'http://localhost:4010/microform/bundle/v2.0.2/flex-microform.min.js';
    expect(emulatorOrigin('emulator', lib)).toBe('http://localhost:4010');
    expect(emulatorOrigin('sandbox', lib)).toBeUndefined();
    expect(emulatorOrigin('production', lib)).toBeUndefined();
    expect(emulatorOrigin('emulator', 'not a url')).toBeUndefined();
  });

  it('comes with every checkout session', async () => {
    const h = await harness();
    try {
      const r = await new Shopper(h).request('POST', '/api/checkout/sessions', {});
      expect(r.status).toBe(201);
      expect(r.body.environment).toBe('emulator');
      expect(r.body.emulatorOrigin).toBe('http://localhost:4010');
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
