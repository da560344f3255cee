/**
 * @module `createStub`: the whole merchant backend, wired from configuration and injected
 * dependencies (fetch, clock, sleep, store, logger, shopper identity), ready to be served by
 * `main.ts`, driven in-process by tests, or embedded by the demo launcher.
 *
 * @example
 * const stub = await createStub({ env: {}, fetch: inProcessFetch(emulator), db: await openStore({}) });
 * const res = await stub.app.request('/api/catalog');
 */
import type { Hono } from 'hono';
import type { DocumentedCardNetwork } from '../cybersource/microform-sessions/networks.ts';
import { CaptureContextVerifier } from './checkout/capture-context.ts';
import type { CheckoutContext } from './checkout/context.ts';
import { environmentOf } from './checkout/environment.ts';
import { logOutcomeUnknown, type OutcomeUnknownHandler } from './checkout/outcome-unknown.ts';
import { SessionCache } from './checkout/session-cache.ts';
import { type Catalog, loadCatalog } from './config/catalog.ts';
import { ConfigError, configFromEnv, type StubConfig } from './config/env.ts';
import { isLoopbackHost } from './config/origins.ts';
import { generateAdminToken, persistedCookieSecret } from './config/secrets.ts';
import { CyberSourceClient, DEFAULT_TIMEOUTS, type Timeouts } from './cybersource/client.ts';
import { buildApp } from './http/app.ts';
import { Drain } from './http/drain.ts';
import type { StubEnv } from './http/env.ts';
import { type ShopperIdentity, signedCookieIdentity } from './identity/shopper.ts';
import { CardTestingDefence } from './limits/index.ts';
import { createLogger, type Logger } from './logger.ts';
import { Reconciler } from './reconcile/reconciler.ts';
import { type ReconcileSettings, reconcileSettingsFromEnv } from './reconcile/settings.ts';
import type { Database } from './store/database.ts';
import {
  EmbeddedStoreUnusable,
  MigrationFailed,
  openStore,
  StoreNewerThanCode,
} from './store/index.ts';

export const DEFAULT_CARD_NETWORKS: readonly DocumentedCardNetwork[] = [
  'VISA',
  'MASTERCARD',
  'AMEX',
  'DISCOVER',
  'JCB',
  'DINERSCLUB',
];

export interface StubOptions {
  /**
   * Refuse to start with DATABASE_URL and no COOKIE_SECRET under the default cookie identity
   * (`npm run server`); otherwise that is only warned about (`COOKIE_SECRET_NEEDED`).
   */
  requireSharedCookieSecret?: boolean;
  /**
   * Refuse to start against CyberSource (a base URL that is not this machine) without
   * ADMIN_TOKEN (`npm run server`): a generated one is readable only where stderr goes, which on
   * a host is a log collector, and the merchant could not use refunds without reading it there.
   */
  requireAdminToken?: boolean;
  /**
   * Refuse to start against production CyberSource on the embedded database (`npm run server`,
   * `npm run renew-due`): it does not survive a machine crash (`EMBEDDED_NOT_DURABLE`);
   * otherwise that is only warned about.
   */
  requireDurableStore?: boolean;
  /** A parsed configuration; otherwise `env` (default `process.env`) is parsed. */
  config?: StubConfig;
  env?: Record<string, string | undefined>;
  /** Overrides applied on top of the parsed configuration (tests). */
  overrides?: Partial<StubConfig>;
  fetch?: typeof fetch;
  now?: () => Date;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  /** An open, migrated store; otherwise one is opened from the configuration (and closed by `close`). */
  db?: Database;
  logger?: Logger;
  catalog?: Catalog;
  identity?: ShopperIdentity;
  cookieSecret?: string;
  timeouts?: Partial<Timeouts>;
  onOutcomeUnknown?: OutcomeUnknownHandler;
  /**
   * The reconciler of unknown outcomes (RELIABILITY-FACTS §3.6); otherwise from the environment
   * (`RECONCILE_AFTER_SECONDS`, `RECONCILE_INTERVAL_SECONDS`). `intervalMs: 0` runs no timer and
   * no start-up pass: the caller drives `stub.reconciler.runOnce()` (tests on a fake clock).
   */
  reconcile?: Partial<ReconcileSettings>;
  /** How long a duplicate request waits for the first one's result (default 35 s). */
  idempotencyWaitMs?: number;
  /** How often a running request's key says it is alive (default 10 s; `http/idempotency.ts`). */
  idempotencyHeartbeatMs?: number;
  cardNetworks?: readonly DocumentedCardNetwork[];
  /** Serve extra routes (the demo page) from the stub's origin; called before /api. */
  mount?: (app: Hono<StubEnv>) => void;
  /** Where the built widget is (default `dist/widget/`), served at `/widget/`. */
  widgetDir?: string;
}

export interface Stub {
  app: Hono<StubEnv>;
  config: StubConfig;
  db: Database;
  checkout: CheckoutContext;
  adminToken: string;
  /** True when no ADMIN_TOKEN was configured and one was generated for this process. */
  adminTokenGenerated: boolean;
  /** Resolves payments and refunds whose outcome is unknown; stopped by `close`. */
  reconciler: Reconciler;
  /**
   * Says the process is going (`http/drain.ts`): `/healthz` answers 503 `shutting_down`, every
   * answer closes its connection; requests are still served. `shutdown.ts` calls it on SIGTERM.
   */
  drain(): void;
  /** Requests whose handlers are still running (a closed connection does not end one). */
  inFlight(): number;
  /**
   * Resolves once no handler and no background work is left (a session's Flex v1 key, never
   * awaited by the shopper): what a test waits for before reading CyberSource's request log.
   */
  idle(): Promise<void>;
  /** Waits for the handlers still running, then stops the reconciler and closes the store. */
  close(): Promise<void>;
}

/**
 * Processes sharing a PostgreSQL server (several hosts, each its own DATA_DIR) must sign the
 * shopper cookie with one key: with a key generated per DATA_DIR, a shopper's next request on
 * another process is a new shopper (no session, no saved cards, no subscriptions of their own).
 * `npm run server` refuses to start so; an embedding server is warned; a job (renew-due) or a
 * merchant `ShopperIdentity` signs no cookie.
 */
const COOKIE_SECRET_NEEDED =
  'COOKIE_SECRET: required with DATABASE_URL (every process sharing the database must sign shopper cookies with one key of at least 32 characters; to keep the cookies shoppers hold today, set it to the contents of DATA_DIR/cookie-secret)';

const ADMIN_TOKEN_NEEDED =
  'ADMIN_TOKEN: required against CyberSource (a base URL that is not this machine); a generated token would only be printed on stderr';

/**
 * PostgreSQL refused or unreachable at start-up: one line naming DATABASE_URL and the driver's
 * reason (`connect ECONNREFUSED …`, `password authentication failed for user …`), not a stack
 * trace; never the URL itself, which may hold a password.
 */
/** A file where the folder should be, no permission: the operator's to fix, in one line. */
function dataDirUnusable(err: unknown, dir: string): unknown {
  if (err instanceof EmbeddedStoreUnusable) return new ConfigError([err.message]);
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  return typeof code === 'string' && /^E[A-Z]+$/.test(code)
    ? new ConfigError([`DATA_DIR: cannot use ${dir} (${code})`])
    : err;
}

function databaseUnavailable(err: unknown, url: string): ConfigError {
  const reason = err instanceof Error ? err.message.split(url).join('…') : 'unknown error';
  return new ConfigError([`DATABASE_URL: cannot open the database: ${reason}`]);
}

/**
 * PGlite runs PostgreSQL with `fsync = off` and its file system layer has no fsync (checked:
 * `SHOW fsync`, no fsync or fdatasync system call, `test/server-stub/store.test.ts`). A commit
 * survives the stub's process dying (the kernel holds the write) but not the machine crashing
 * or losing power before the kernel writes it out (Linux: within about 30 s), which could lose a
 * pending payment row written before CyberSource charged the card, so nothing would ever
 * reconcile it. Real money wants PostgreSQL.
 */
const EMBEDDED_NOT_DURABLE =
  'DATABASE_URL: required against production CyberSource (CYBERSOURCE_BASE_URL is not the sandbox or this machine): the embedded database (PGlite) never flushes its writes to disk (fsync off), so a machine crash or a power loss can lose the last seconds of payments, charged ones included; use PostgreSQL';

const PROXY_NOT_TRUSTED =
  "TRUST_PROXY: CHECKOUT_PUBLIC_URL is https, so a TLS proxy is in front, but no proxy is trusted: every shopper counts as the proxy's address, and the card-testing limits per address (20 new checkouts per 10 minutes, 10 declines per hour) then hold for all shoppers at once. Set TRUST_PROXY=true (or the number of proxies); ignore this only if nothing stands in front of the stub";

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Runs `read`; a ConfigError's lines go to `issues` (and undefined comes back). */
async function collect<T>(issues: string[], read: () => T | Promise<T>): Promise<T | undefined> {
  try {
    return await read();
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    issues.push(...err.issues);
    return undefined;
  }
}

export async function createStub(options: StubOptions = {}): Promise<Stub> {
  // Every bad setting in one message, before anything is opened (README "Configuration").
  const issues: string[] = [];
  const fromEnv = await collect(
    issues,
    () => options.config ?? configFromEnv(options.env ?? process.env),
  );
  const reconcileEnv = await collect(issues, () =>
    reconcileSettingsFromEnv(options.env ?? (options.config ? {} : process.env)),
  );
  // Read even when another setting is bad, so one start names every bad one.
  const catalogPath =
    options.overrides?.catalogPath ??
    (fromEnv ? fromEnv.catalogPath : (options.env ?? process.env).CHECKOUT_CATALOG || undefined);
  const catalog = options.catalog ?? (await collect(issues, () => loadCatalog(catalogPath)));
  const merged: StubConfig | undefined = fromEnv && { ...fromEnv, ...(options.overrides ?? {}) };
  const unsharedCookieKey =
    !!merged?.databaseUrl && !options.identity && !options.cookieSecret && !merged.cookieSecret;
  if (unsharedCookieKey && options.requireSharedCookieSecret) issues.push(COOKIE_SECRET_NEEDED);
  if (
    options.requireAdminToken &&
    merged &&
    merged.adminToken === undefined &&
    !isLoopbackHost(new URL(merged.baseUrl).hostname)
  )
    issues.push(ADMIN_TOKEN_NEEDED);
  const notDurable =
    !!merged &&
    (options.db ? options.db.kind === 'pglite' : !merged.databaseUrl) &&
    environmentOf(merged.baseUrl) === 'production';
  if (notDurable && options.requireDurableStore) issues.push(EMBEDDED_NOT_DURABLE);
  if (!merged || !reconcileEnv || !catalog || issues.length > 0) throw new ConfigError(issues);
  const config: StubConfig = merged;
  const now = options.now ?? (() => new Date());
  const sleep = options.sleep ?? realSleep;
  const logger = options.logger ?? createLogger({ level: config.logLevel });
  if (unsharedCookieKey) logger.warn(COOKIE_SECRET_NEEDED);
  if (notDurable) logger.warn(EMBEDDED_NOT_DURABLE);
  if (config.trustProxy === 0 && config.publicOrigin.startsWith('https:'))
    logger.warn(PROXY_NOT_TRUSTED);
  // Before the database: nothing after it can fail and leave it open (and DATA_DIR held).
  const cookieSecret =
    options.cookieSecret ?? config.cookieSecret ?? (await persistedCookieSecret(config.dataDir));
  const ownsDb = options.db === undefined;
  const db =
    options.db ??
    (await openStore({
      databaseUrl: config.databaseUrl,
      dataDir: config.dataDir,
      onConnectionLost: (err) =>
        logger.warn({ err: err.message }, 'database connection lost; the next query reconnects'),
    }).catch((err: unknown) => {
      const store = config.databaseUrl ? 'DATABASE_URL' : 'DATA_DIR';
      if (err instanceof StoreNewerThanCode) throw new ConfigError([`${store}: ${err.message}`]);
      // A migration the database refused is not the URL's fault: it says which file.
      if (config.databaseUrl && !(err instanceof MigrationFailed))
        throw databaseUnavailable(err, config.databaseUrl);
      throw config.dataDir ? dataDirUnusable(err, config.dataDir) : err;
    }));

  const reconcileSettings: ReconcileSettings = { ...reconcileEnv, ...(options.reconcile ?? {}) };
  const timeouts: Timeouts = {
    ...DEFAULT_TIMEOUTS,
    ...(reconcileSettings.paymentTimeoutMs === undefined
      ? {}
      : { paymentMs: reconcileSettings.paymentTimeoutMs }),
    ...(options.timeouts ?? {}),
  };
  const client = new CyberSourceClient(
    {
      baseUrl: config.baseUrl,
      merchantId: config.merchantId,
      keyId: config.keyId,
      secretKey: config.secretKey,
      auth: config.auth,
      mle: config.mle,
    },
    {
      fetch: options.fetch ?? globalThis.fetch,
      now,
      sleep,
      logger,
      ...(options.random ? { random: options.random } : {}),
    },
    timeouts,
  );
  const drain = new Drain();
  const checkout: CheckoutContext = {
    config,
    catalog,
    db,
    client,
    verifier: new CaptureContextVerifier(client, now),
    now,
    sleep,
    logger,
    onOutcomeUnknown: options.onOutcomeUnknown ?? logOutcomeUnknown(logger),
    cardNetworks: options.cardNetworks ?? config.cardNetworks ?? DEFAULT_CARD_NETWORKS,
    limits: new CardTestingDefence({ limits: config.limits, db, now, logger }),
    sessions: new SessionCache(),
    background: (work) => drain.background(work),
  };
  const identity =
    options.identity ??
    signedCookieIdentity(cookieSecret, {
      secure: config.publicOrigin.startsWith('https:'),
      crossSite: config.allowedSites.length > 0,
    });
  const adminToken = config.adminToken ?? generateAdminToken();
  const app = buildApp({
    drain,
    ctx: checkout,
    identity,
    idempotency: {
      db,
      now,
      sleep,
      waitMs: options.idempotencyWaitMs ?? 35_000,
      heartbeatMs: options.idempotencyHeartbeatMs ?? 10_000,
    },
    adminToken,
    mount: options.mount,
    widgetDir: options.widgetDir,
  });
  const reconciler = new Reconciler(checkout, reconcileSettings, timeouts);
  // The start-up pass finishes what a crash left pending; then the periodic passes.
  if (reconcileSettings.intervalMs > 0) reconciler.start();
  else
    logger.warn(
      'reconciler off (RECONCILE_INTERVAL_SECONDS=0): payments whose outcome is unknown stay so, and held items stay held, until a process that runs it starts',
    );
  warnOfMleCertificate(config, now(), logger);
  logger.info(
    {
      baseUrl: config.baseUrl,
      merchantId: config.merchantId,
      auth: config.auth,
      mle: {
        request: config.mle.request !== undefined,
        response: config.mle.response !== undefined,
      },
      currency: config.currency,
      enabled: config.enabled,
      store: db.kind,
    },
    'stub ready',
  );
  return {
    app,
    config,
    db,
    checkout,
    adminToken,
    adminTokenGenerated: config.adminToken === undefined,
    reconciler,
    drain: () => drain.start(),
    inFlight: () => drain.inFlight,
    idle: () => drain.idle(),
    close: async () => {
      await drain.idle();
      await reconciler.stop();
      if (ownsDb) await db.close();
    },
  };
}

/**
 * CyberSource's request-MLE certificate past its end, or within 30 days of it: the SDK warns of
 * both (`Cache.js` `validateCertificateExpiry`); CyberSource may refuse what it encrypts, so the
 * merchant downloads the current one before then.
 */
function warnOfMleCertificate(config: StubConfig, now: Date, logger: Logger): void {
  const validTo = config.mle.request?.validTo;
  if (!validTo) return;
  const days = Math.floor((validTo.getTime() - now.getTime()) / 86_400_000);
  if (days < 30) {
    logger.warn(
      { validTo: validTo.toISOString(), days },
      days < 0
        ? 'CYBERSOURCE_MLE_REQUEST_CERT has expired: download the current one from the Business Center'
        : 'CYBERSOURCE_MLE_REQUEST_CERT expires soon: download the next one from the Business Center',
    );
  }
}
