/**
 * @module The emulator as a Hono app: web-standard Request in, Response out.
 *
 * Order of every REST request, like the real gateway: correlation id → latency/log →
 * authentication → message-level decryption (and MLE refusals) → scripted faults → answer
 * encryption → endpoint group. Tests drive `app.request` in-process or the same app
 * over a real socket (`main.ts`).
 */
import { Hono } from 'hono';
import { defaultConfig, type EmulatorConfig } from './config.ts';
import { faults, latencyAndLog } from './control/middleware.ts';
import { controlRoutes } from './control/routes.ts';
import { type KeySource, takeKeyPair, warmKeyPool } from './flex/key-pool.ts';
import { flexPublicRoutes } from './flex/public-routes.ts';
import { flexRoutes } from './flex/routes.ts';
import { authenticate } from './http/auth.ts';
import type { EmulatorDeps, EmulatorEnv } from './http/env.ts';
import { correlationId } from './ids.ts';
import { microformRoutes } from './microform/routes.ts';
import { mleRequest, mleResponse } from './mle/middleware.ts';
import { paymentsRoutes } from './payments/routes.ts';
import { EmulatorState } from './state.ts';
import { tmsRoutes } from './tms/routes.ts';
import { seedSandboxTokens } from './tms/sandbox-tokens.ts';

export interface Emulator {
  app: Hono<EmulatorEnv>;
  state: EmulatorState;
  config: EmulatorConfig;
}

export interface EmulatorOptions {
  config?: Partial<EmulatorConfig>;
  /** Injected clock; defaults to the system clock. */
  now?: () => Date;
  /**
   * Injected RSA keys; defaults to the process-wide pool, warmed here. Each key is handed out
   * once per emulator either way (API-FACTS §4, §5.2: a fresh key per capture context).
   */
  keys?: KeySource;
}

/** Path prefixes that need CyberSource request authentication. */
const AUTHENTICATED = ['/pts/', '/tss/', '/tms/', '/flex/v1/', '/microform/v2/'];

export function createEmulator(options: EmulatorOptions = {}): Emulator {
  const config = defaultConfig(options.config);
  const state = new EmulatorState(
    options.now,
    config.sandboxTokens ? (st) => seedSandboxTokens(st.tms, st.now()) : undefined,
  );
  if (!options.keys) warmKeyPool(config.keyPool);
  const deps: EmulatorDeps = { state, config, keys: options.keys ?? takeKeyPair };
  const app = new Hono<EmulatorEnv>();

  app.use('*', async (c, next) => {
    const id = correlationId();
    c.set('correlationId', id);
    await next();
    c.res.headers.set('v-c-correlation-id', id);
  });

  app.route('/__emulator', controlRoutes(deps));
  // Browser-facing, unauthenticated: public keys, the tokens endpoint, the Microform library.
  app.route('/', flexPublicRoutes(deps));
  app.route('/', microformRoutes(deps));

  const log = latencyAndLog(deps);
  const fault = faults(deps);
  const auth = authenticate(deps);
  const decrypt = mleRequest(deps);
  const encrypt = mleResponse(deps);
  for (const prefix of AUTHENTICATED) {
    app.use(`${prefix}*`, log, auth, decrypt, fault, encrypt);
  }
  app.route('/', paymentsRoutes(deps));
  app.route('/', tmsRoutes(deps));
  app.route('/', flexRoutes(deps));

  app.notFound((c) =>
    c.json({ status: 'NOT_FOUND', message: 'The requested resource does not exist.' }, 404),
  );
  app.onError((err, c) => {
    console.error('emulator: unhandled error', err);
    return c.json(
      {
        submitTimeUtc: state.submitTimeUtc(),
        status: 'SERVER_ERROR',
        reason: 'SYSTEM_ERROR',
        message: 'Error - General system failure.',
      },
      502,
    );
  });

  return { app, state, config };
}
