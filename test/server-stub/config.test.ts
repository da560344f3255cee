import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  EmulatorConfigError,
  configFromEnv as emulatorConfigFromEnv,
} from '../../emulator/config.ts';
import {
  Catalog,
  DEMO_CATALOG,
  loadCatalog,
  periodEnd,
  priceItem,
} from '../../server-stub/config/catalog.ts';
import { ConfigError, configFromEnv, SAMPLE_CREDENTIALS } from '../../server-stub/config/env.ts';
import type { StubError } from '../../server-stub/errors.ts';
import { createLogger } from '../../server-stub/logger.ts';
import { formatAmount } from '../../server-stub/money.ts';
import { openPglite } from '../../server-stub/store/pglite.ts';
import { createStub } from '../../server-stub/stub.ts';
import { openTestStore } from '../helpers/test-store.ts';
import { LogSink } from './harness.ts';

const SECRET = 'c2VjcmV0LXRoYXQtbXVzdC1uZXZlci1iZS1wcmludGVk';

function errorOf(env: Record<string, string>): ConfigError {
  try {
    configFromEnv(env);
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe('configuration', () => {
  it('runs against the emulator with the sample credentials when nothing is set', () => {
    const c = configFromEnv({});
    expect(c).toMatchObject({
      merchantId: SAMPLE_CREDENTIALS.merchantId,
      keyId: SAMPLE_CREDENTIALS.keyId,
      // HTTP signature is deprecated since September 2026 (server-stub/config/env.ts).
      auth: 'jwt',
      baseUrl: 'http://localhost:4010',
      currency: 'USD',
      enabled: true,
      port: 3000,
      publicOrigin: 'http://localhost:3000',
      allowedSites: [],
      databaseUrl: undefined,
      dataDir: '.data',
    });
  });

  it('reads every documented variable', () => {
    const c = configFromEnv({
      CYBERSOURCE_MERCHANT_ID: 'm',
      CYBERSOURCE_KEY_ID: 'k',
      CYBERSOURCE_SECRET_KEY: SECRET,
      CYBERSOURCE_AUTH: 'http-signature',
      CYBERSOURCE_BASE_URL: 'https://apitest.cybersource.com/',
      CHECKOUT_CURRENCY: 'EUR',
      CHECKOUT_ENABLED: 'false',
      CHECKOUT_ALLOWED_SITES: 'https://shop.example, https://www.shop.example',
      DATABASE_URL: 'postgres://u@h/db',
      PORT: '8080',
      ADMIN_TOKEN: 'an-admin-token-long-enough',
      DATA_DIR: '/tmp/x',
      SHUTDOWN_DELAY_SECONDS: '10',
      SHUTDOWN_TIMEOUT_SECONDS: '40',
    });
    expect(c).toMatchObject({
      shutdownDelayMs: 10_000,
      shutdownTimeoutMs: 40_000,
      auth: 'http-signature',
      baseUrl: 'https://apitest.cybersource.com',
      currency: 'EUR',
      enabled: false,
      allowedSites: ['https://shop.example', 'https://www.shop.example'],
      port: 8080,
      host: undefined,
      publicOrigin: 'http://localhost:8080',
    });
  });

  it.each([
    ['CYBERSOURCE_SECRET_KEY', 'not base64 !!'],
    ['CYBERSOURCE_AUTH', 'oauth'],
    ['CYBERSOURCE_BASE_URL', 'ftp://x'],
    // A path would be sent but not signed; credentials in it would be logged.
    ['CYBERSOURCE_BASE_URL', 'https://apitest.cybersource.com/pts'],
    ['CYBERSOURCE_BASE_URL', 'https://user:pass@apitest.cybersource.com'],
    ['CHECKOUT_CURRENCY', 'JPY'],
    ['CHECKOUT_ENABLED', 'maybe'],
    ['CHECKOUT_ALLOWED_SITES', 'http://shop.example'],
    ['CHECKOUT_ALLOWED_SITES', 'https://*.shop.example'],
    // Cleartext to CyberSource itself (plain http is for an emulator).
    ['CYBERSOURCE_BASE_URL', 'http://apitest.cybersource.com'],
    ['CYBERSOURCE_BASE_URL', 'http://api.visaacceptance.com'],
    ['CYBERSOURCE_MERCHANT_ID', ' '],
    ['CYBERSOURCE_KEY_ID', 'key\nid'],
    ['PORT', 'eighty'],
    // Number() would read these as 0, 16 and 1000.
    ['PORT', ' '],
    ['PORT', '0x10'],
    ['PORT', '1e3'],
    ['PORT', '70000'],
    ['LISTEN_ADDRESS', 'shop.example'],
    ['LISTEN_ADDRESS', '127.0.0.1:3000'],
    ['LISTEN_ADDRESS', '256.0.0.1'],
    // A name listens on one of its addresses, not the one a proxy may send to.
    ['LISTEN_ADDRESS', 'localhost'],
    ['LISTEN_ADDRESS', '[::1]'],
    ['COOKIE_SECRET', ' '.repeat(40)],
    ['DATABASE_URL', 'mysql://x'],
    ['ADMIN_TOKEN', 'short'],
    // Could never match `Authorization: Bearer <token>`.
    ['ADMIN_TOKEN', 'an admin token with spaces'],
    ['SHUTDOWN_DELAY_SECONDS', '1.5'],
    ['SHUTDOWN_DELAY_SECONDS', '301'],
    ['SHUTDOWN_TIMEOUT_SECONDS', '0'],
    // Under the default delay of 0 it is fine; inside a delay of 30 it would cut the requests
    // the balancer still sends (below).
    ['SHUTDOWN_TIMEOUT_SECONDS', '1e3'],
  ])('names %s when it is bad (%s)', (name, value) => {
    const err = errorOf({ [name]: value });
    expect(err.message).toContain(name);
    expect(err.message).not.toContain('pass@');
  });

  it.each(['127.0.0.1', '::1', '0.0.0.0'])('listens on LISTEN_ADDRESS %s', (host) => {
    expect(configFromEnv({ LISTEN_ADDRESS: host }).host).toBe(host);
  });

  it('refuses a shutdown timeout that ends before the delay does', () => {
    const err = errorOf({ SHUTDOWN_DELAY_SECONDS: '30' });
    expect(err.issues).toEqual([
      'SHUTDOWN_TIMEOUT_SECONDS: must be more than SHUTDOWN_DELAY_SECONDS',
    ]);
    expect(
      configFromEnv({ SHUTDOWN_DELAY_SECONDS: '30', SHUTDOWN_TIMEOUT_SECONDS: '31' }),
    ).toMatchObject({ shutdownDelayMs: 30_000, shutdownTimeoutMs: 31_000 });
  });

  it('takes plain http for an emulator on another host, and a port in digits', () => {
    const c = configFromEnv({ CYBERSOURCE_BASE_URL: 'http://emulator:4010', PORT: '8080' });
    expect(c.baseUrl).toBe('http://emulator:4010');
    expect(c.port).toBe(8080);
    expect(configFromEnv({ PORT: '0' }).port).toBe(0);
  });

  it('stops createStub with every bad setting in one message, before opening the database', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'stub-config-'));
    try {
      const start = (env: Record<string, string>, options: { requireAdminToken?: boolean } = {}) =>
        createStub({ ...options, env: { DATA_DIR: dataDir, LOG_LEVEL: 'silent', ...env } }).then(
          () => expect.unreachable(),
          (err: unknown) => err as ConfigError,
        );
      const both = await start({ CYBERSOURCE_AUTH: 'oauth', RECONCILE_AFTER_SECONDS: '0' });
      expect(both).toBeInstanceOf(ConfigError);
      expect(both.issues.join('\n')).toMatch(/CYBERSOURCE_AUTH[\s\S]*RECONCILE_AFTER_SECONDS/);
      const catalog = join(dataDir, 'catalog.json');
      await writeFile(catalog, '{"products":[{"id":"x","name":"X","amount":-1}]}');
      const file = await start({ CHECKOUT_CATALOG: catalog, PAYMENT_TIMEOUT_SECONDS: '999' });
      expect(file.issues).toEqual([
        expect.stringMatching(/^PAYMENT_TIMEOUT_SECONDS: /),
        expect.stringMatching(/^CHECKOUT_CATALOG \(.*catalog\.json\) products\.0\.amount: /),
      ]);
      const missing = await start({ CHECKOUT_CATALOG: join(dataDir, 'nope.json') });
      expect(missing.message).toContain('nope.json cannot be read');
      // The catalog is read even when the environment has a bad variable too.
      const withBadEnv = await start({
        CHECKOUT_CURRENCY: 'GBP',
        CHECKOUT_CATALOG: join(dataDir, 'nope.json'),
      });
      expect(withBadEnv.issues).toEqual([
        expect.stringMatching(/^CHECKOUT_CURRENCY: /),
        expect.stringMatching(/^CHECKOUT_CATALOG: .*nope\.json cannot be read/),
      ]);
      // A file where the folder should be: one line naming DATA_DIR, not a stack trace.
      const notAFolder = await start({ DATA_DIR: catalog });
      expect(notAFolder).toBeInstanceOf(ConfigError);
      expect(notAFolder.issues).toEqual([expect.stringMatching(/^DATA_DIR: cannot keep .*\(E/)]);
      // The same with a cookie secret given: it is the database's folder that cannot be made.
      const noFolder = await start({
        DATA_DIR: catalog,
        COOKIE_SECRET: 'a-cookie-secret-of-at-least-32-characters',
      });
      expect(noFolder).toBeInstanceOf(ConfigError);
      expect(noFolder.issues).toEqual([`DATA_DIR: cannot use ${catalog} (EEXIST)`]);
      // `npm run server` sharing a PostgreSQL server needs one cookie key, never one per DATA_DIR.
      const shared = await createStub({
        requireSharedCookieSecret: true,
        env: {
          DATA_DIR: dataDir,
          LOG_LEVEL: 'silent',
          DATABASE_URL: 'postgres://u@127.0.0.1:1/db',
        },
      }).then(
        () => expect.unreachable(),
        (err: unknown) => err as ConfigError,
      );
      expect(shared.issues).toEqual([
        expect.stringMatching(
          /^COOKIE_SECRET: required with DATABASE_URL.*DATA_DIR\/cookie-secret/,
        ),
      ]);
      expect(await readdir(dataDir)).toEqual(['catalog.json']);
      // PostgreSQL not answering: one line naming DATABASE_URL and why, never its password.
      const down = await start({
        DATABASE_URL: 'postgres://shop:pa55word@127.0.0.1:1/shop',
        COOKIE_SECRET: 'a-cookie-secret-of-at-least-32-characters',
      });
      expect(down).toBeInstanceOf(ConfigError);
      expect(down.issues).toEqual([
        expect.stringMatching(/^DATABASE_URL: cannot open the database: .*ECONNREFUSED/),
      ]);
      expect(down.message).not.toContain('pa55word');
      // `npm run server` against CyberSource needs ADMIN_TOKEN: a generated one would only be
      // printed on stderr (a host's log collector). Against the emulator on this machine it is
      // generated as before.
      const sandbox = { CYBERSOURCE_BASE_URL: 'https://apitest.cybersource.com' };
      const noToken = await start(sandbox, { requireAdminToken: true });
      expect(noToken.issues).toEqual([expect.stringMatching(/^ADMIN_TOKEN: required against/)]);
      for (const [env, options] of [
        [{ ...sandbox, ADMIN_TOKEN: 'merchant-token-0123456789' }, { requireAdminToken: true }],
        [sandbox, {}],
        [{}, { requireAdminToken: true }],
      ] as const) {
        const stub = await createStub({
          ...options,
          env: { DATA_DIR: dataDir, LOG_LEVEL: 'silent', ...env },
        });
        expect(stub.adminTokenGenerated).toBe(!('ADMIN_TOKEN' in env));
        await stub.close();
      }
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  it('stops createStub in one line on a DATA_DIR a newer stub migrated, and lets the folder go', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'stub-newer-'));
    const future = '999_from_a_newer_stub.sql';
    const env = { DATA_DIR: dataDir, LOG_LEVEL: 'silent' };
    try {
      const stub = await createStub({ env });
      await stub.db.query('INSERT INTO stub_migrations (id, applied_at) VALUES ($1, now())', [
        future,
      ]);
      await stub.close();
      const refused = await createStub({ env }).then(
        () => expect.unreachable(),
        (err: unknown) => err as ConfigError,
      );
      expect(refused).toBeInstanceOf(ConfigError);
      expect(refused.issues).toEqual([
        expect.stringMatching(
          new RegExp(
            `^DATA_DIR: the database was migrated by a newer version of the stub \\(${future}`,
          ),
        ),
      ]);
      // The refusal closed the database and released the folder: once the newer version's
      // migration is gone (as a restored backup would have it), this one starts there.
      const again = await openPglite(join(dataDir, 'pglite'));
      await again.query('DELETE FROM stub_migrations WHERE id = $1', [future]);
      await again.close();
      await (await createStub({ env })).close();
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  it('refuses production CyberSource on the embedded database for npm run server and renew-due, and warns an embedding server', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'stub-durable-'));
    const refusal = /^DATABASE_URL: required against production CyberSource .*fsync off/;
    const start = (env: Record<string, string>) =>
      createStub({
        requireDurableStore: true,
        env: {
          DATA_DIR: dataDir,
          LOG_LEVEL: 'silent',
          ADMIN_TOKEN: 'merchant-token-0123456789',
          ...env,
        },
      }).then(
        () => expect.unreachable(),
        (err: unknown) => err as ConfigError,
      );
    try {
      const live = await start({ CYBERSOURCE_BASE_URL: 'https://api.cybersource.com' });
      expect(live.issues).toEqual([expect.stringMatching(refusal)]);
      // Refused before anything is opened.
      expect(await readdir(dataDir)).toEqual([]);
      // Test money (the sandbox) or PostgreSQL: not refused. Each stops on another setting here,
      // so the test opens no database.
      const sandbox = await start({
        CYBERSOURCE_BASE_URL: 'https://apitest.cybersource.com',
        CYBERSOURCE_AUTH: 'oauth',
      });
      expect(sandbox.issues).toEqual([expect.stringMatching(/^CYBERSOURCE_AUTH: /)]);
      const postgres = await start({
        CYBERSOURCE_BASE_URL: 'https://api.cybersource.com',
        DATABASE_URL: 'postgres://u@127.0.0.1:1/db',
        COOKIE_SECRET: 'a-cookie-secret-of-at-least-32-characters',
      });
      expect(postgres.issues).toEqual([expect.stringMatching(/^DATABASE_URL: cannot open/)]);
      // A server embedding createStub with its own embedded store is told, not stopped.
      const logs = new LogSink();
      const db = await openTestStore();
      const stub = await createStub({
        db,
        env: { DATA_DIR: dataDir, CYBERSOURCE_BASE_URL: 'https://api.cybersource.com' },
        logger: createLogger({ level: 'warn', destination: logs }),
      });
      await stub.close();
      await db.close();
      expect(logs.text).toMatch(/DATABASE_URL: required against production CyberSource/);
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  it('only warns about an unshared cookie key unless asked to refuse (a job, an embedding server), and never with an identity hook', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'stub-cookie-key-'));
    const warned = async (extra: { identity?: { identify: () => string } }) => {
      const logs = new LogSink();
      const db = await openTestStore();
      const stub = await createStub({
        db,
        env: { DATA_DIR: dataDir, DATABASE_URL: 'postgres://u@127.0.0.1:1/db' },
        logger: createLogger({ level: 'warn', destination: logs }),
        ...extra,
      });
      await stub.close();
      await db.close();
      return logs.text.includes('COOKIE_SECRET: required with DATABASE_URL');
    };
    try {
      expect(await warned({})).toBe(true);
      expect(await warned({ identity: { identify: () => 'shp_aaaaaaaaaaaaaaaa' } })).toBe(false);
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  it('warns at start when the public URL is https (a proxy in front) and no proxy is trusted, where every shopper would share the limits per address', async () => {
    const warned = async (env: Record<string, string>) => {
      const logs = new LogSink();
      const db = await openTestStore();
      const stub = await createStub({
        db,
        env: { LOG_LEVEL: 'silent', ...env },
        cookieSecret: 'a-test-cookie-secret-that-is-long-enough-123',
        logger: createLogger({ level: 'warn', destination: logs }),
      });
      await stub.close();
      await db.close();
      return logs.text.includes('TRUST_PROXY: CHECKOUT_PUBLIC_URL is https');
    };
    const https = { CHECKOUT_PUBLIC_URL: 'https://shop.example' };
    expect(await warned(https)).toBe(true);
    expect(await warned({ ...https, TRUST_PROXY: 'true' })).toBe(false);
    expect(await warned({})).toBe(false);
  });

  it('asks for the billing address against CyberSource by default, not on the emulator', () => {
    const sandbox = { CYBERSOURCE_BASE_URL: 'https://apitest.cybersource.com' };
    expect(configFromEnv({}).requireBillingAddress).toBe(false);
    expect(configFromEnv(sandbox).requireBillingAddress).toBe(true);
    // Any host but this machine's: regional, Visa Acceptance, a proxy.
    for (const url of [
      'https://api.cybersource.com',
      'https://api.in.cybersource.com',
      'https://apitest.visaacceptance.com',
      'https://cybersource-egress.internal.example',
    ])
      expect(configFromEnv({ CYBERSOURCE_BASE_URL: url }).requireBillingAddress, url).toBe(true);
    for (const url of ['http://localhost:4010', 'http://127.0.0.1:4010', 'http://[::1]:4010'])
      expect(configFromEnv({ CYBERSOURCE_BASE_URL: url }).requireBillingAddress, url).toBe(false);
    // An account with relaxed address requirements turns it off.
    expect(
      configFromEnv({ ...sandbox, CHECKOUT_REQUIRE_BILLING_ADDRESS: 'false' })
        .requireBillingAddress,
    ).toBe(false);
  });

  it('refuses a bad emulator variable by name, as npm start prints it in one line', () => {
    expect(() => emulatorConfigFromEnv({ EMULATOR_PORT: 'abc' })).toThrow(EmulatorConfigError);
    expect(() => emulatorConfigFromEnv({ EMULATOR_SANDBOX_TOKENS: 'yes' })).toThrow(
      /EMULATOR_SANDBOX_TOKENS: must be true or false/,
    );
    expect(emulatorConfigFromEnv({ EMULATOR_SANDBOX_TOKENS: 'true' }).config.sandboxTokens).toBe(
      true,
    );
    expect(() => emulatorConfigFromEnv({ EMULATOR_KEYS: 'notjson' })).toThrow(
      /^Invalid emulator configuration:\nEMULATOR_KEYS/,
    );
  });

  it('reads an empty EMULATOR_PORT as unset (4010), as the stub reads its own, not as port 0', () => {
    expect(emulatorConfigFromEnv({ EMULATOR_PORT: '' }).port).toBe(4010);
    expect(emulatorConfigFromEnv({ EMULATOR_PORT: '0' }).port).toBe(0);
    expect(emulatorConfigFromEnv({ EMULATOR_PORT: '4999' }).config.publicUrl).toBe(
      'http://localhost:4999',
    );
  });

  it('lists every bad field at once and never prints the secret', () => {
    const bad = `${SECRET}!`;
    const err = errorOf({ CYBERSOURCE_SECRET_KEY: bad, CHECKOUT_CURRENCY: 'XXX' });
    expect(err.issues).toHaveLength(2);
    expect(err.message).not.toContain(bad);
    expect(err.message).not.toContain(SECRET);
  });

  it('never prints a bad ADMIN_TOKEN, COOKIE_SECRET or the password of a bad DATABASE_URL', () => {
    const values = {
      ADMIN_TOKEN: 'an admin token with spaces 0123456789',
      COOKIE_SECRET: 'a cookie secret with spaces 0123456789',
      DATABASE_URL: 'mysql://shop:hunter2-pw@db.example/shop',
    };
    const err = errorOf(values);
    expect(err.issues.map((i) => i.split(':')[0]).sort()).toEqual(Object.keys(values));
    for (const value of Object.values(values)) expect(err.message).not.toContain(value);
    expect(err.message).not.toContain('hunter2-pw');
  });

  it('names a bad public URL beside another bad variable, not only once the other is fixed', () => {
    const err = errorOf({
      CHECKOUT_CURRENCY: 'GBP',
      CHECKOUT_PUBLIC_URL: 'http://127.0.0.1:3101',
      CHECKOUT_ALLOWED_SITES: 'ftp://shop.example',
    });
    expect(err.issues.map((i) => i.split(':')[0]).sort()).toEqual([
      'CHECKOUT_ALLOWED_SITES',
      'CHECKOUT_CURRENCY',
      'CHECKOUT_PUBLIC_URL',
    ]);
  });
});

describe('catalog and money', () => {
  it('formats minor units for CyberSource without floats', () => {
    expect(formatAmount(10221, 'USD')).toBe('102.21');
    expect(formatAmount(5, 'EUR')).toBe('0.05');
    expect(formatAmount(100, 'CAD')).toBe('1.00');
  });

  it('prices the demo catalog on the server', () => {
    const price = (item: { id: string; amount?: number; currency?: string }) =>
      priceItem(DEMO_CATALOG, item, 'USD');
    expect(price({ id: 'tshirt' }).amount).toBe(2500);
    expect(price({ id: 'donation', amount: 4200 }).amount).toBe(4200);
    expect(price({ id: 'pro-monthly' }).kind).toBe('plan');
    expect(() => price({ id: 'donation', amount: 500_001 })).toThrow('amount');
    // The emulator's trigger amounts (README "Test cards") fit the built-in donation.
    expect(price({ id: 'donation', amount: 220_300 }).amount).toBe(220_300);
  });

  it('refuses a price or currency other than the one the page showed: price_changed, not a charge', () => {
    const code = (item: { id: string; amount?: number; currency?: string }) => {
      try {
        priceItem(DEMO_CATALOG, item, 'USD');
        return 'priced';
      } catch (err) {
        return (err as StubError).code;
      }
    };
    expect(code({ id: 'tshirt', amount: 2500, currency: 'USD' })).toBe('priced');
    expect(code({ id: 'tshirt', amount: 3000, currency: 'USD' })).toBe('price_changed');
    expect(code({ id: 'pro-monthly', amount: 800 })).toBe('price_changed');
    expect(code({ id: 'donation', amount: 1250, currency: 'EUR' })).toBe('price_changed');
  });

  it('refuses at start a custom-amount item whose own amount is outside its bounds (it is charged when none is named)', () => {
    const parsed = Catalog.safeParse({
      products: [{ id: 'gift', name: 'Gift', amount: 100, customAmount: { min: 500, max: 5000 } }],
    });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]).toMatchObject({
      path: ['products', 0, 'amount'],
      message: 'amount must be within customAmount',
    });
  });

  it('is the same catalog as demo/catalog.json (npm run server and npm start sell the same)', async () => {
    expect(await loadCatalog('demo/catalog.json')).toEqual(DEMO_CATALOG);
  });

  it("keeps a monthly subscription on its day: the 31st bills on each month's last day", () => {
    const anchor = new Date('2027-01-31T10:00:00Z');
    const ends = [1, 2, 3, 4].map((p) => periodEnd(anchor, 'month', 1, p).toISOString());
    expect(ends).toEqual([
      '2027-02-28T10:00:00.000Z',
      '2027-03-31T10:00:00.000Z',
      '2027-04-30T10:00:00.000Z',
      '2027-05-31T10:00:00.000Z',
    ]);
    const leap = new Date('2028-02-29T00:00:00Z');
    expect(periodEnd(leap, 'year', 1, 1).toISOString()).toBe('2029-02-28T00:00:00.000Z');
    expect(periodEnd(leap, 'year', 1, 4).toISOString()).toBe('2032-02-29T00:00:00.000Z');
    expect(periodEnd(anchor, 'week', 2, 3).toISOString()).toBe('2027-03-14T10:00:00.000Z');
  });
});

describe('card networks of the capture context', () => {
  it('reads a comma list of documented networks', () => {
    expect(configFromEnv({ CHECKOUT_CARD_NETWORKS: 'visa, MASTERCARD,ELO' }).cardNetworks).toEqual([
      'VISA',
      'MASTERCARD',
      'ELO',
    ]);
    expect(configFromEnv({}).cardNetworks).toBeUndefined();
  });

  it('names the variable when a network is unknown', () => {
    expect(errorOf({ CHECKOUT_CARD_NETWORKS: 'VISA,BITCOIN' }).message).toMatch(
      /CHECKOUT_CARD_NETWORKS: must list networks/,
    );
  });
});
