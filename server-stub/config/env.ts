/**
 * @module Configuration from the environment (DESIGN.md "Contracts"), parsed with zod once at
 * start-up. A bad value stops the start with a message that names the variable; the secret's
 * value never appears in a message.
 */
import { z } from 'zod';
import {
  DOCUMENTED_CARD_NETWORKS,
  type DocumentedCardNetwork,
} from '../../cybersource/microform-sessions/networks.ts';
import { proxyRange, type TrustProxy } from '../limits/client-ip.ts';
import {
  type CardTestingLimits,
  countSetting,
  DEFAULT_LIMITS,
  NO_LIMITS,
  ruleSetting,
} from '../limits/rules.ts';
import { Currency } from '../money.ts';
import { type MleConfig, mleFromEnv } from './mle.ts';
import { isLoopbackHost, MAX_TARGET_ORIGINS, parseOrigin } from './origins.ts';

/**
 * CyberSource's published sample sandbox merchant (API-FACTS §6), copied here on purpose: the
 * stub never imports the emulator, and with no environment it must talk to the emulator.
 */
export const SAMPLE_CREDENTIALS = {
  merchantId: 'testrest',
  keyId: '08c94330-f618-42a3-b09d-e1e43be5efda',
  secretKey: 'yBJxy6LjM2TmcPGu+GaJrHtkke25fPpUX+UY6/L/1tE=',
} as const;

export const EMULATOR_URL = 'http://localhost:4010';

const flag = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'], { message: 'must be true or false' })
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const originList = z.string().transform((text, ctx) => {
  const origins: string[] = [];
  for (const part of text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const r = parseOrigin(part);
    if (r.ok) origins.push(r.origin);
    else ctx.addIssue({ code: 'custom', message: r.message });
  }
  if (origins.length > MAX_TARGET_ORIGINS - 1) {
    ctx.addIssue({ code: 'custom', message: `at most ${MAX_TARGET_ORIGINS - 1} sites` });
  }
  return [...new Set(origins)];
});

/**
 * `false` (the socket address), `true` (one proxy), the number of proxies in front (their
 * `X-Forwarded-For` read only from a loopback or private peer), or the proxies' own addresses and
 * CIDRs, comma-separated (`limits/client-ip.ts`).
 */
const trustProxy = z
  .string()
  .default('false')
  .transform((text, ctx): TrustProxy => {
    const t = text.trim().toLowerCase();
    if (t === 'false' || t === '0') return 0;
    if (t === 'true') return 1;
    if (/^[1-9]$/.test(t)) return Number(t);
    const entries = t
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    if (/[.:]/.test(t) && entries.length > 0) {
      const bad = entries.map(proxyRange).find((r) => r instanceof Error);
      if (bad === undefined) return entries;
      ctx.addIssue({ code: 'custom', message: bad.message });
      return z.NEVER;
    }
    ctx.addIssue({
      code: 'custom',
      message:
        'must be true, false, a number of proxies (1-9) or the proxies’ addresses (IPs or CIDRs, comma-separated)',
    });
    return z.NEVER;
  });

/** CSP frame-ancestors: `self`, `none`, or origins, comma-separated (RELIABILITY-FACTS §3.3). */
const frameAncestors = z
  .string()
  .default('self')
  .transform((text, ctx) => {
    const sources: string[] = [];
    for (const part of text
      .split(',')
      .map((s) => s.trim().replace(/^'(self|none)'$/, '$1'))
      .filter(Boolean)) {
      if (part === 'self' || part === 'none') {
        sources.push(`'${part}'`);
        continue;
      }
      const r = parseOrigin(part);
      if (r.ok) sources.push(r.origin);
      else ctx.addIssue({ code: 'custom', message: r.message });
    }
    if (sources.includes("'none'") && sources.length > 1) {
      ctx.addIssue({ code: 'custom', message: 'none cannot be combined with other sources' });
    }
    return sources.length > 0 ? sources : ["'self'"];
  });

/** Microform `allowedCardNetworks`: the documented names only (API-FACTS §5.1). */
const cardNetworks = z.string().transform((text, ctx) => {
  const names = [
    ...new Set(
      text
        .split(',')
        .map((s) => s.trim().toUpperCase())
        .filter(Boolean),
    ),
  ];
  const known = new Set<string>(DOCUMENTED_CARD_NETWORKS);
  const unknown = names.filter((n) => !known.has(n));
  if (unknown.length > 0 || names.length === 0) {
    ctx.addIssue({
      code: 'custom',
      message: `must list networks from ${DOCUMENTED_CARD_NETWORKS.join(', ')}`,
    });
    return z.NEVER;
  }
  return names.filter((n): n is DocumentedCardNetwork => known.has(n));
});

/** CyberSource's and Visa Acceptance's own API domains. */
const CYBERSOURCE_HOST = /(^|\.)(cybersource|visaacceptance)\.com$/i;

/**
 * An origin and nothing else: the client appends each call's path to it and signs that path
 * alone (API-FACTS §1.3: `request-target` is the path sent), so a base path would be sent but
 * not signed (401 on every call), and user:password would make fetch throw and be logged.
 */
const baseUrl = z
  .url({ protocol: /^https?$/, message: 'must be an http(s) URL' })
  .refine(
    (u) => {
      const url = new URL(u);
      return url.pathname === '/' && !url.search && !url.hash && !url.username && !url.password;
    },
    {
      message:
        'must be an origin only (scheme, host and port), like https://apitest.cybersource.com',
    },
  )
  // Plain http only for an emulator: to CyberSource it would carry transient tokens, billing
  // details and replayable signed requests in the clear before anything failed.
  .refine((u) => !/^http:/.test(u) || !CYBERSOURCE_HOST.test(new URL(u).hostname), {
    message: 'must be https:// for CyberSource',
  })
  .transform((u) => new URL(u).origin);

/** Identifiers sent in headers and signatures: printable ASCII, no spaces. */
const headerToken = (fallback: string) =>
  z
    .string()
    .min(1, 'must not be empty')
    .regex(/^[\x21-\x7e]+$/, { message: 'must be printable ASCII without spaces' })
    .default(fallback);

/**
 * A whole number written in digits only, at most `max`: Number() alone would also read ' ' as 0,
 * 0x10 as 16 and 1e3 as 1000. `what` names the value in both messages.
 */
const wholeNumber = (max: number, what: string, tooLarge = `must be ≤ ${max}`) =>
  z
    .string()
    .regex(/^\d{1,7}$/, { message: `must be ${what}` })
    .transform(Number)
    .refine((n) => n <= max, { message: tooLarge });

const EnvSchema = z.object({
  CYBERSOURCE_MERCHANT_ID: headerToken(SAMPLE_CREDENTIALS.merchantId),
  CYBERSOURCE_KEY_ID: headerToken(SAMPLE_CREDENTIALS.keyId),
  // The message is fixed text: zod must never echo the secret back.
  CYBERSOURCE_SECRET_KEY: z
    .base64({ message: 'must be the base64 shared secret from the Business Center' })
    .min(1, { message: 'must not be empty' })
    .default(SAMPLE_CREDENTIALS.secretKey),
  // JWT by default: CyberSource deprecated HTTP signature messaging in September 2026 ("all
  // merchants using HTTP signature messaging must migrate to JSON Web Token (JWT) messaging…
  // You risk transaction failures", developer.cybersource.com rest-getting-started
  // restgs-http-message-intro). The same key id and shared secret sign either (API-FACTS §1.6).
  CYBERSOURCE_AUTH: z
    .enum(['http-signature', 'jwt'], { message: 'must be http-signature or jwt' })
    .default('jwt'),
  CYBERSOURCE_BASE_URL: baseUrl.default(EMULATOR_URL),
  // Message-level encryption (config/mle.ts reads them: paths or PEM text)
  CYBERSOURCE_MLE_REQUEST_CERT: z.string().optional(),
  CYBERSOURCE_MLE_RESPONSE_KEY: z.string().optional(),
  CYBERSOURCE_MLE_RESPONSE_KEY_PASSWORD: z.string().optional(),
  CYBERSOURCE_MLE_RESPONSE_KID: z.string().optional(),
  CHECKOUT_CURRENCY: Currency.default('USD'),
  CHECKOUT_ENABLED: flag.default(true),
  CHECKOUT_ALLOWED_SITES: originList.default([]),
  CHECKOUT_PUBLIC_URL: z.string().optional(),
  CHECKOUT_CATALOG: z.string().min(1).optional(),
  CHECKOUT_CARD_NETWORKS: cardNetworks.optional(),
  // Unset: required against CyberSource, not on the emulator (`configFromEnv`).
  CHECKOUT_REQUIRE_BILLING_ADDRESS: flag.optional(),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, { message: 'must be a postgres:// URL' })
    .optional(),
  PORT: wholeNumber(65535, 'a port number', 'must be a port number').default(3000),
  // The address `npm run server` listens on: unset, every interface (Node's default); 127.0.0.1
  // or ::1 behind a reverse proxy on the same machine, so nothing else reaches the stub. Not
  // `HOST`: tcsh exports HOST as the machine's name, which would stop every start there.
  // An address, not a name: Node listens on the first address a name resolves to, and
  // `localhost` is ::1 first on most Linux hosts, where a proxy sending to 127.0.0.1 is refused.
  LISTEN_ADDRESS: z
    .union([z.ipv4(), z.ipv6()], {
      message: 'must be an IP address of this machine, without brackets (127.0.0.1, ::1, 0.0.0.0)',
    })
    .optional(),
  // Sent as `Authorization: Bearer <token>` (RFC 6750 b64token): printable, no spaces.
  ADMIN_TOKEN: z
    .string()
    .min(16, { message: 'must be at least 16 characters' })
    .regex(/^[\x21-\x7e]+$/, { message: 'must be printable ASCII without spaces' })
    .optional(),
  COOKIE_SECRET: z
    .string()
    .min(32, { message: 'must be at least 32 characters' })
    .regex(/^\S+$/, { message: 'must not contain spaces' })
    .optional(),
  DATA_DIR: z.string().min(1).default('.data'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  // A shopper's unpaid session handed out again (README "Checkout sessions"): at most 10 of a
  // capture context's 15 minutes, so a resumed one has 5 left (its `expiresIn` says so, and the
  // widget renews it 2 minutes before the end).
  CHECKOUT_SESSION_REUSE_SECONDS: wholeNumber(600, 'a whole number of seconds').default(300),
  // card-testing defence (RELIABILITY-FACTS §4; README "Card-testing defence")
  TRUST_PROXY: trustProxy,
  RATE_LIMIT_DISABLED: flag.default(false),
  RATE_LIMIT_SESSIONS_PER_IP: ruleSetting(DEFAULT_LIMITS.sessionsPerIp),
  RATE_LIMIT_SESSIONS_PER_SHOPPER: ruleSetting(DEFAULT_LIMITS.sessionsPerShopper),
  RATE_LIMIT_PAYMENTS_PER_IP: ruleSetting(DEFAULT_LIMITS.paymentsPerIp),
  RATE_LIMIT_PAYMENTS_PER_SHOPPER: ruleSetting(DEFAULT_LIMITS.paymentsPerShopper),
  RATE_LIMIT_CARDS_PER_IP: ruleSetting(DEFAULT_LIMITS.cardsPerIp),
  RATE_LIMIT_CARDS_PER_SHOPPER: ruleSetting(DEFAULT_LIMITS.cardsPerShopper),
  DECLINE_LIMIT_PER_SESSION: countSetting(DEFAULT_LIMITS.declinesPerSession),
  DECLINE_LIMIT_PER_CARD: ruleSetting(DEFAULT_LIMITS.declinesPerCard),
  DECLINE_LIMIT_PER_SHOPPER: ruleSetting(DEFAULT_LIMITS.declinesPerShopper),
  DECLINE_LIMIT_PER_IP: ruleSetting(DEFAULT_LIMITS.declinesPerIp),
  // security headers (RELIABILITY-FACTS §1.3, §3.3; README "Security headers and SRI")
  CSP_FRAME_ANCESTORS: frameAncestors,
  CSP_REPORT_ONLY: flag.default(false),
  // stopping (README "Stopping"): whole seconds, as an orchestrator's grace period is given
  SHUTDOWN_DELAY_SECONDS: wholeNumber(300, 'a whole number of seconds').default(0),
  SHUTDOWN_TIMEOUT_SECONDS: wholeNumber(3_600, 'a whole number of seconds')
    .refine((n) => n >= 1, { message: 'must be ≥ 1' })
    .default(25),
});

export interface StubConfig {
  merchantId: string;
  keyId: string;
  /** Base64 shared secret; only the signer reads it. */
  secretKey: string;
  auth: 'http-signature' | 'jwt';
  /** Message-level encryption of requests and answers (config/mle.ts); off unless configured. */
  mle: MleConfig;
  /** Where CyberSource (or the emulator) is, without a trailing slash. */
  baseUrl: string;
  currency: Currency;
  enabled: boolean;
  /** The stub's own origin (demo page and widget are served from it). */
  publicOrigin: string;
  /** Extra sites that embed the checkout. */
  allowedSites: string[];
  catalogPath: string | undefined;
  /** `allowedCardNetworks` of every capture context; undefined → the stub's default list. */
  cardNetworks: DocumentedCardNetwork[] | undefined;
  /** Ask the widget for a billing address (processors that want AVS data need it). */
  requireBillingAddress: boolean;
  databaseUrl: string | undefined;
  port: number;
  /** The address to listen on; undefined → every interface. */
  host: string | undefined;
  adminToken: string | undefined;
  cookieSecret: string | undefined;
  dataDir: string;
  logLevel: string;
  /**
   * After SIGTERM: how long the stub keeps serving while `/healthz` answers 503, so a load
   * balancer stops sending before the port closes (`shutdown.ts`).
   */
  shutdownDelayMs: number;
  /** After SIGTERM: when connections still open are cut (from the signal; above the delay). */
  shutdownTimeoutMs: number;
  /**
   * How recent a shopper's unpaid session must be to be handed out again instead of a new one
   * (`checkout/sessions.ts` `resumeCheckout`); 0: every request starts a new session.
   */
  sessionReuseMs: number;
  /** Card-testing limits (`limits/rules.ts`). */
  limits: CardTestingLimits;
  /**
   * Reverse proxies in front of the stub whose X-Forwarded-For is trusted: 0 = use the socket; N
   * = that many, their peer a loopback or private address; or the proxies' addresses and CIDRs.
   */
  trustProxy: TrustProxy;
  /** CSP `frame-ancestors` sources. */
  frameAncestors: string[];
  /** Send the CSP as Content-Security-Policy-Report-Only (trying it out, RELIABILITY-FACTS §3.3). */
  cspReportOnly: boolean;
}

export class ConfigError extends Error {
  constructor(readonly issues: string[]) {
    super(`Invalid configuration:\n${issues.map((i) => `  ${i}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Empty strings count as unset, as shells and .env files often produce them. */
function present(env: Record<string, string | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) if (v !== undefined && v !== '') out[k] = v;
  return out;
}

/** Parses the environment; throws `ConfigError` listing every bad variable by name. */
export function configFromEnv(env: Record<string, string | undefined>): StubConfig {
  const raw = present(env);
  const parsed = EnvSchema.safeParse(raw);
  const issues = parsed.success
    ? []
    : parsed.error.issues.map((i) => `${i.path.join('.') || '(environment)'}: ${i.message}`);
  // Checked whatever else is wrong, so one start names every bad variable; the default (from
  // PORT) only once PORT itself is good.
  const publicUrl =
    raw.CHECKOUT_PUBLIC_URL ??
    (parsed.success ? `http://localhost:${parsed.data.PORT}` : undefined);
  let publicOrigin = '';
  if (publicUrl !== undefined) {
    const origin = parseOrigin(publicUrl);
    if (origin.ok) publicOrigin = origin.origin;
    else issues.push(`CHECKOUT_PUBLIC_URL: ${origin.message}`);
  }
  if (parsed.success && parsed.data.SHUTDOWN_TIMEOUT_SECONDS <= parsed.data.SHUTDOWN_DELAY_SECONDS)
    issues.push('SHUTDOWN_TIMEOUT_SECONDS: must be more than SHUTDOWN_DELAY_SECONDS');
  // Read whatever else is wrong (the signing scheme as given, JWT when it is not one).
  const mle = mleFromEnv(
    raw,
    raw.CYBERSOURCE_AUTH === 'http-signature' ? 'http-signature' : 'jwt',
    issues,
  );
  if (!parsed.success || issues.length > 0) throw new ConfigError(issues);
  const e = parsed.data;
  return {
    merchantId: e.CYBERSOURCE_MERCHANT_ID,
    keyId: e.CYBERSOURCE_KEY_ID,
    secretKey: e.CYBERSOURCE_SECRET_KEY,
    auth: e.CYBERSOURCE_AUTH,
    mle,
    baseUrl: e.CYBERSOURCE_BASE_URL,
    currency: e.CHECKOUT_CURRENCY,
    enabled: e.CHECKOUT_ENABLED,
    publicOrigin,
    allowedSites: e.CHECKOUT_ALLOWED_SITES.filter((o) => o !== publicOrigin),
    catalogPath: e.CHECKOUT_CATALOG,
    cardNetworks: e.CHECKOUT_CARD_NETWORKS,
    // A CyberSource account needs the billing address on a card payment unless support enabled
    // "relaxed requirements for address data" for it (API-FACTS §2.2): asked by default there,
    // where a payment without it would be refused MISSING_FIELD, whatever its host (regional,
    // Visa Acceptance, a proxy). Only the emulator on this machine, whose sample merchant has them
    // relaxed (EMULATOR_RELAXED_ADDRESS), asks for no address: the demo's default.
    requireBillingAddress:
      e.CHECKOUT_REQUIRE_BILLING_ADDRESS ??
      !isLoopbackHost(new URL(e.CYBERSOURCE_BASE_URL).hostname),
    databaseUrl: e.DATABASE_URL,
    port: e.PORT,
    host: e.LISTEN_ADDRESS,
    adminToken: e.ADMIN_TOKEN,
    cookieSecret: e.COOKIE_SECRET,
    dataDir: e.DATA_DIR,
    logLevel: e.LOG_LEVEL,
    shutdownDelayMs: e.SHUTDOWN_DELAY_SECONDS * 1000,
    shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_SECONDS * 1000,
    sessionReuseMs: e.CHECKOUT_SESSION_REUSE_SECONDS * 1000,
    limits: e.RATE_LIMIT_DISABLED
      ? NO_LIMITS
      : {
          disabled: false,
          sessionsPerIp: e.RATE_LIMIT_SESSIONS_PER_IP,
          sessionsPerShopper: e.RATE_LIMIT_SESSIONS_PER_SHOPPER,
          paymentsPerIp: e.RATE_LIMIT_PAYMENTS_PER_IP,
          paymentsPerShopper: e.RATE_LIMIT_PAYMENTS_PER_SHOPPER,
          cardsPerIp: e.RATE_LIMIT_CARDS_PER_IP,
          cardsPerShopper: e.RATE_LIMIT_CARDS_PER_SHOPPER,
          declinesPerSession: e.DECLINE_LIMIT_PER_SESSION,
          declinesPerCard: e.DECLINE_LIMIT_PER_CARD,
          declinesPerShopper: e.DECLINE_LIMIT_PER_SHOPPER,
          declinesPerIp: e.DECLINE_LIMIT_PER_IP,
        },
    trustProxy: e.TRUST_PROXY,
    frameAncestors: e.CSP_FRAME_ANCESTORS,
    cspReportOnly: e.CSP_REPORT_ONLY,
  };
}
