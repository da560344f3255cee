/**
 * @module Starts the whole demo — emulator (unless real CyberSource is configured), the stub
 * with the demo page and the widget bundle on its own origin — and returns how to reach and
 * stop it. `npm start` (start.ts) and the browser tests both use it.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import type { Server } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ServerType, serve } from '@hono/node-server';
import { NETWORK_NAMES } from '../cybersource/networks/index.ts';
import { configFromEnv as emulatorConfigFromEnv } from '../emulator/config.ts';
import type { KeySource } from '../emulator/flex/key-pool.ts';
import { type RunningEmulator, startEmulator } from '../emulator/server.ts';
import { environmentOf } from '../server-stub/checkout/environment.ts';
import { isLoopbackHost } from '../server-stub/config/origins.ts';
import { boundSlowClients } from '../server-stub/http/slow-clients.ts';
import { createStub, type Stub } from '../server-stub/stub.ts';
import { ensureWidget } from '../widget/build/build.ts';
import { hostChecked } from './host-check.ts';
import { emulatorMleSettings } from './mle-settings.ts';
import { demoAssets, mountDemo } from './serve.ts';

export interface Demo {
  /** The demo shop, e.g. http://localhost:3000 */
  url: string;
  /** Message-level encryption set up by the demo on its emulator (`demoMle`). */
  mle: boolean;
  /** What it charges: its own emulator, CyberSource's sandbox, or real cards (`environmentLine`). */
  mode: DemoMode;
  /** The merchant panel's token: ADMIN_TOKEN, or one generated for this run. */
  adminToken: string;
  /** No ADMIN_TOKEN was set: `npm start` prints the generated one (banner.ts `adminTokenLines`). */
  adminTokenGenerated: boolean;
  stub: Stub;
  emulator: RunningEmulator | undefined;
  close(): Promise<void>;
}

export interface LaunchOptions {
  env?: NodeJS.ProcessEnv;
  /** Skip the widget build when dist/widget is known to be fresh (tests build it once). */
  buildWidget?: boolean;
  /** The embedded emulator's RSA keys (tests share pre-generated ones); its own pool otherwise. */
  emulatorKeys?: KeySource;
}

/**
 * Real CyberSource when CYBERSOURCE_BASE_URL points anywhere but this machine, by the stub's own
 * reading of "this machine" (`isLoopbackHost`: `localhost`, 127.x, `[::1]`), so the two never
 * disagree on whether an emulator runs. A base URL that is no URL is left to the stub to refuse.
 */
export function usesEmulator(env: NodeJS.ProcessEnv): boolean {
  const base = env.CYBERSOURCE_BASE_URL;
  if (!base) return true;
  try {
    return isLoopbackHost(new URL(base).hostname);
  } catch {
    return false;
  }
}

export type DemoMode = 'emulator' | 'sandbox' | 'live';

/**
 * Against production, or a host that does not say, which the stub counts as production
 * (`environment.ts`): live, real cards are charged.
 */
function modeOf(emulator: boolean, baseUrl: string): DemoMode {
  if (emulator) return 'emulator';
  return environmentOf(baseUrl) === 'sandbox' ? 'sandbox' : 'live';
}

/** The page's header line: test mode on the emulator or the sandbox; live, that real cards are charged. */
function environmentLine(mode: DemoMode, baseUrl: string): string {
  if (mode === 'emulator') return 'Test mode: embedded CyberSource emulator';
  return mode === 'sandbox'
    ? `Test mode: CyberSource sandbox (${baseUrl})`
    : `Live: ${baseUrl}, real cards are charged`;
}

/**
 * Whether `npm start` sets message-level encryption up on its own emulator, both ways, with the
 * emulator requiring it as CyberSource will (server-stub/README.md "Message-level encryption"):
 * yes, unless the stub signs with HTTP signature (which cannot carry MLE), `DEMO_MLE=false`, or
 * MLE settings of the merchant's own are given.
 */
export function demoMle(env: NodeJS.ProcessEnv): boolean {
  const own = Object.keys(env).some((k) => k.startsWith('CYBERSOURCE_MLE_') && env[k]);
  return (env.CYBERSOURCE_AUTH || 'jwt') === 'jwt' && env.DEMO_MLE !== 'false' && !own;
}

/** A port nobody listens on right now (for `PORT=0`: the stub must know its origin up front). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

export async function launchDemo(options: LaunchOptions = {}): Promise<Demo> {
  const env: NodeJS.ProcessEnv = { ...(options.env ?? process.env) };
  env.CHECKOUT_CATALOG ??= new URL('./catalog.json', import.meta.url).pathname;
  // The demo listens on 127.0.0.1 only, whatever `npm run server` is told (its merchant panel
  // refunds and cancels; on the emulator its page holds the admin token): LISTEN_ADDRESS is not
  // the demo's to read, nor to refuse.
  delete env.LISTEN_ADDRESS;
  if (env.EMULATOR_PORT === '0') env.EMULATOR_PORT = String(await freePort());
  if (env.PORT === '0') env.PORT = String(await freePort());
  // An empty PORT is unset, as the stub's configuration reads it (`present()` in config/env.ts).
  env.CHECKOUT_PUBLIC_URL ??= `http://localhost:${env.PORT || 3000}`;

  let emulator: RunningEmulator | undefined;
  /** The store of this run only, removed on close (`DATA_DIR` when the demo chose it). */
  let ownDataDir: string | undefined;
  const mle = usesEmulator(env) && demoMle(env);
  if (usesEmulator(env)) {
    // The emulator knows every seed network; a real merchant account enables its own list.
    env.CHECKOUT_CARD_NETWORKS ??= NETWORK_NAMES.join(',');
    if (mle) env.EMULATOR_MLE_REQUIRED ??= 'true';
    const { port, config } = emulatorConfigFromEnv(env);
    emulator = await startEmulator({
      port,
      config,
      ...(options.emulatorKeys ? { keys: options.emulatorKeys } : {}),
    });
    env.CYBERSOURCE_BASE_URL ??= `http://localhost:${emulator.port}`;
    if (mle) {
      try {
        Object.assign(
          env,
          await emulatorMleSettings(
            emulator.url,
            options.emulatorKeys ? { keys: options.emulatorKeys } : {},
          ),
        );
      } catch (err) {
        await emulator.close();
        throw err;
      }
    }
    // The emulator keeps nothing when it stops, so neither does the shop: a store kept from an
    // earlier run would hold TMS customers, cards and payments this emulator never saw (a
    // returning shopper's cards could not be listed, refunds and renewals would be refused).
    // A fresh folder per run, its cookie key included; DATA_DIR or DATABASE_URL keeps a store.
    if (!env.DATA_DIR && !env.DATABASE_URL)
      env.DATA_DIR = ownDataDir = await mkdtemp(join(tmpdir(), 'cyber-checkout-demo-'));
  }
  const forgetOwnData = async () => {
    if (ownDataDir) await rm(ownDataDir, { recursive: true, force: true });
  };
  const letGo = async () => {
    await emulator?.close();
    await forgetOwnData();
  };

  // An empty ADMIN_TOKEN is unset, as the stub reads it: one is generated, and the page's panel
  // and the stub agree on it.
  const adminTokenGenerated = !env.ADMIN_TOKEN;
  const adminToken = env.ADMIN_TOKEN || crypto.randomUUID();
  env.ADMIN_TOKEN = adminToken;
  const mode = modeOf(emulator !== undefined, env.CYBERSOURCE_BASE_URL ?? '');
  const environment = environmentLine(mode, env.CYBERSOURCE_BASE_URL ?? '');
  let stub: Stub;
  try {
    if (options.buildWidget !== false) await ensureWidget();
    const assets = await demoAssets({ adminToken, environment, mode });
    stub = await createStub({ env, mount: mountDemo(assets) });
  } catch (err) {
    // A bad setting or a failed build: the emulator's port and this run's folder go with it.
    await letGo();
    throw err;
  }
  const server: ServerType = await new Promise((resolve, reject) => {
    const fetch = hostChecked(stub.config.publicOrigin, stub.app.fetch);
    const s = serve({ fetch, port: stub.config.port, hostname: '127.0.0.1' }, () => resolve(s));
    boundSlowClients(s as Server);
    s.once('error', (err) => {
      // Started, then refused its port: let go of the database and the emulator before saying so.
      void stub
        .close()
        .then(letGo)
        .finally(() => reject(err));
    });
  });
  return {
    url: stub.config.publicOrigin,
    mle,
    mode,
    adminToken,
    adminTokenGenerated,
    stub,
    emulator,
    close: async () => {
      await new Promise<void>((done) => {
        server.close(() => done());
        if ('closeAllConnections' in server) server.closeAllConnections();
      });
      await stub.close();
      await emulator?.close();
      await forgetOwnData();
    },
  };
}
