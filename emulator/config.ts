/**
 * @module Emulator configuration: merchants it knows, how strict its clock is, where it lives.
 */
import { z } from 'zod';
import type { SigningKey } from '../cybersource/auth/index.ts';

/** CyberSource's published sample sandbox merchant (API-FACTS §6). */
export const SAMPLE_MERCHANT: SigningKey = {
  merchantId: 'testrest',
  keyId: '08c94330-f618-42a3-b09d-e1e43be5efda',
  secretBase64: 'yBJxy6LjM2TmcPGu+GaJrHtkke25fPpUX+UY6/L/1tE=',
};

export interface EmulatorConfig {
  /** Keys the emulator accepts, each bound to one merchant. */
  keys: SigningKey[];
  /** Origin the browser reaches the emulator at: Microform library, iframes and tokens endpoint. */
  publicUrl: string;
  /** Hosts a JWT may name in `request-host` besides the Host header (the SDK signs its runEnvironment). */
  hostAliases: string[];
  /** Allowed distance between the signed `date` and the emulator clock. */
  maxSkewSeconds: number;
  /** RSA key pairs kept ready for one-time Flex keys (see `flex/key-pool.ts`). */
  keyPool: number;
  /**
   * The merchants' accounts have CyberSource's "relaxed requirements for address data" (enabled
   * by its support): a card payment needs no billing address. Without them, one without the
   * standard `billTo` fields is refused MISSING_FIELD (`payments/request-rules.ts`).
   */
  relaxedAddress: boolean;
  /**
   * The `testrest` sandbox's own tokens, which the official samples name by id
   * (`tms/sandbox-tokens.ts`); off by default, so a fresh emulator starts empty.
   */
  sandboxTokens: boolean;
  /**
   * Message-level encryption is mandatory for the merchants' JWT calls, as CyberSource's mandate
   * makes it once enforced for an account (RELIABILITY-FACTS §3.5: JWT/MLE rules from February
   * 2026, compliance by March 2027): a JWT request with a plain body on a call that takes request
   * MLE is refused (`mle/middleware.ts`). Off, an encrypted and a plain body are both taken.
   */
  mleRequired: boolean;
}

const KeySpec = z.object({
  merchantId: z.string().min(1),
  keyId: z.string().min(1),
  secretBase64: z.base64(),
});

const Env = z.object({
  // An empty value is unset, as the stub reads its own (z.coerce would make it 0: any port).
  EMULATOR_PORT: z.preprocess(
    (v) => (v === '' ? undefined : v),
    z.coerce.number().int().min(0).max(65535).default(4010),
  ),
  EMULATOR_PUBLIC_URL: z.url().optional(),
  /** JSON array of extra keys: `[{"merchantId","keyId","secretBase64"}]`. */
  EMULATOR_KEYS: z
    .string()
    .optional()
    .transform((s, ctx) => {
      if (!s) return [];
      try {
        return z.array(KeySpec).parse(JSON.parse(s));
      } catch {
        ctx.addIssue({
          code: 'custom',
          message: 'must be a JSON array of {merchantId, keyId, secretBase64}',
        });
        return z.NEVER;
      }
    }),
  EMULATOR_HOST_ALIASES: z.string().default('apitest.cybersource.com'),
  EMULATOR_MAX_SKEW_SECONDS: z.coerce.number().int().positive().default(300),
  EMULATOR_KEY_POOL: z.coerce.number().int().min(1).max(2000).default(6),
  EMULATOR_RELAXED_ADDRESS: z
    .enum(['true', 'false'], { message: 'must be true or false' })
    .default('true')
    .transform((v) => v === 'true'),
  EMULATOR_SANDBOX_TOKENS: z
    .enum(['true', 'false'], { message: 'must be true or false' })
    .default('false')
    .transform((v) => v === 'true'),
  EMULATOR_MLE_REQUIRED: z
    .enum(['true', 'false'], { message: 'must be true or false' })
    .default('false')
    .transform((v) => v === 'true'),
});

export function defaultConfig(overrides: Partial<EmulatorConfig> = {}): EmulatorConfig {
  return {
    keys: [SAMPLE_MERCHANT],
    publicUrl: 'http://localhost:4010',
    hostAliases: ['apitest.cybersource.com'],
    maxSkewSeconds: 300,
    keyPool: 6,
    relaxedAddress: true,
    sandboxTokens: false,
    mleRequired: false,
    ...overrides,
  };
}

/** A bad EMULATOR_* variable: its message names each one, for a one-line refusal to start. */
export class EmulatorConfigError extends Error {
  override name = 'EmulatorConfigError';
}

/** Reads the environment; throws an EmulatorConfigError naming each bad variable (never a secret). */
export function configFromEnv(env: NodeJS.ProcessEnv): { port: number; config: EmulatorConfig } {
  const parsed = Env.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new EmulatorConfigError(`Invalid emulator configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  return {
    port: e.EMULATOR_PORT,
    config: defaultConfig({
      keys: [SAMPLE_MERCHANT, ...e.EMULATOR_KEYS],
      publicUrl: (e.EMULATOR_PUBLIC_URL ?? `http://localhost:${e.EMULATOR_PORT}`).replace(
        /\/$/,
        '',
      ),
      hostAliases: e.EMULATOR_HOST_ALIASES.split(',')
        .map((h) => h.trim())
        .filter(Boolean),
      maxSkewSeconds: e.EMULATOR_MAX_SKEW_SECONDS,
      keyPool: e.EMULATOR_KEY_POOL,
      relaxedAddress: e.EMULATOR_RELAXED_ADDRESS,
      sandboxTokens: e.EMULATOR_SANDBOX_TOKENS,
      mleRequired: e.EMULATOR_MLE_REQUIRED,
    }),
  };
}
