/**
 * `npm start` when a port is taken (a second `npm start`, another server on 3000) or a setting is
 * bad: an error to print, not an unhandled 'error' event, and nothing left holding DATA_DIR or
 * the emulator's port, nor a folder of the run's own in the temp folder.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { request } from 'node:http';
import { createServer, type Server } from 'node:net';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { testCardLines } from '../../demo/banner.ts';
import { launchDemo, usesEmulator } from '../../demo/launch.ts';
import { demoAssets } from '../../demo/serve.ts';
import { startEmulator } from '../../emulator/server.ts';
import { ConfigError } from '../../server-stub/config/env.ts';
import { until } from '../helpers/stub-process.ts';
import { testKeys } from '../helpers/test-keys.ts';

let dataDir: string;
let blocker: Server;
let busy: number;
beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'demo-launch-'));
  blocker = createServer();
  await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
  busy = (blocker.address() as { port: number }).port;
});
afterEach(async () => {
  await new Promise((r) => blocker.close(r));
  await rm(dataDir, { recursive: true, force: true });
});

const env = (ports: { PORT: string; EMULATOR_PORT: string }) => ({
  ...ports,
  DATA_DIR: dataDir,
  LOG_LEVEL: 'silent',
});

it('refuses an emulator port in use with EADDRINUSE', async () => {
  await expect(startEmulator({ port: busy })).rejects.toMatchObject({ code: 'EADDRINUSE' });
});

it('refuses a shop port in use, and lets go of DATA_DIR and the emulator', async () => {
  const refused = launchDemo({
    buildWidget: false,
    env: env({ PORT: String(busy), EMULATOR_PORT: '0' }),
  });
  await expect(refused).rejects.toMatchObject({ code: 'EADDRINUSE' });
  // The same folder opens again: the refused start closed its database.
  const demo = await launchDemo({
    buildWidget: false,
    env: env({ PORT: '0', EMULATOR_PORT: '0' }),
  });
  await demo.close();
});

it('refuses a bad setting, and lets go of the emulator and its own folder', async () => {
  // The demo makes its folder in os.tmpdir(): a private one here, to see what is left in it.
  const tmp = process.env.TMPDIR;
  process.env.TMPDIR = dataDir;
  await new Promise((r) => blocker.close(r));
  try {
    const refused = launchDemo({
      buildWidget: false,
      env: {
        PORT: '0',
        EMULATOR_PORT: String(busy),
        LOG_LEVEL: 'silent',
        CHECKOUT_CURRENCY: 'GBP',
      },
    });
    await expect(refused).rejects.toBeInstanceOf(ConfigError);
    await expect(refused).rejects.toThrow(/CHECKOUT_CURRENCY/);
  } finally {
    if (tmp === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = tmp;
  }
  expect(await readdir(dataDir)).toEqual([]);
  // The emulator's port is free again.
  blocker = createServer();
  await new Promise<void>((resolve, reject) => {
    blocker.once('error', reject);
    blocker.listen(busy, '127.0.0.1', resolve);
  });
});

it('on the embedded emulator keeps its store for that run only, as the emulator does', async () => {
  const demo = await launchDemo({
    buildWidget: false,
    env: { PORT: '0', EMULATOR_PORT: '0', LOG_LEVEL: 'silent' },
  });
  const dir = demo.stub.config.dataDir;
  // Not `.data/`: a store kept from an earlier run names customers this emulator never saw.
  expect(dir.startsWith(tmpdir())).toBe(true);
  expect(existsSync(join(dir, 'cookie-secret'))).toBe(true);
  await demo.close();
  expect(existsSync(dir)).toBe(false);
});

it('runs the emulator for any base URL on this machine, as the stub reads it', () => {
  for (const base of ['http://localhost:4010', 'http://[::1]:4010', 'http://127.0.0.2:4010'])
    expect(usesEmulator({ CYBERSOURCE_BASE_URL: base })).toBe(true);
  expect(usesEmulator({ CYBERSOURCE_BASE_URL: 'https://apitest.cybersource.com' })).toBe(false);
});

it("lists the emulator's triggers only on the emulator, and says when real cards are charged", async () => {
  /** The page, with the card lines `npm start` prints for the same demo appended. */
  const page = async (extra: Record<string, string>) => {
    const demo = await launchDemo({
      buildWidget: false,
      env: { PORT: '0', EMULATOR_PORT: '0', LOG_LEVEL: 'silent', DATA_DIR: dataDir, ...extra },
    });
    try {
      const printed = testCardLines(demo.mode).join('\n');
      return { html: await (await fetch(demo.url)).text(), printed };
    } finally {
      await demo.close();
    }
  };
  const cybersource = {
    CYBERSOURCE_MERCHANT_ID: 'demo_merchant',
    CYBERSOURCE_KEY_ID: '08c94330-f618-42a3-b09d-e1e43be5efda',
    CYBERSOURCE_SECRET_KEY: Buffer.alloc(32, 7).toString('base64'),
  };
  // `npm run server`'s listen address is not the demo's: it listens on 127.0.0.1, and starts.
  const emulated = await page({ LISTEN_ADDRESS: '[::1]' });
  expect(emulated.html).toContain('Test mode: embedded CyberSource emulator');
  expect(emulated.html).toContain('2202.00');
  expect(emulated.html).not.toContain("CyberSource's own test cards");
  expect(emulated.printed).toContain('4111 1111 1111 1111');
  expect(emulated.printed).toContain('2202.00');
  const sandbox = await page({
    ...cybersource,
    CYBERSOURCE_BASE_URL: 'https://apitest.cybersource.com',
  });
  expect(sandbox.html).toContain(
    'Test mode: CyberSource sandbox (https://apitest.cybersource.com)',
  );
  expect(sandbox.html).not.toContain('2202.00');
  expect(sandbox.html).toContain("CyberSource's own test cards");
  expect(sandbox.printed).toContain('4111 1111 1111 1111');
  expect(sandbox.printed).not.toContain('2202.00');
  const live = await page({ ...cybersource, CYBERSOURCE_BASE_URL: 'https://api.cybersource.com' });
  expect(live.html).toContain('Live: https://api.cybersource.com, real cards are charged');
  expect(live.html).not.toContain('Test mode');
  // No "Test cards" section on a page where every card typed is charged.
  expect(live.html).not.toContain('Test cards');
  expect(sandbox.html).toContain('Test cards');
  expect(emulated.html).not.toContain('<!-- testing -->');
  // Live, `npm start` offers no card numbers to type: any card typed there is charged.
  expect(live.printed).not.toMatch(/4111|5555|3782|Declines/);
  expect(live.printed).toContain('real cards are charged');
});

it('on its emulator runs with message-level encryption both ways, required, unless told not to', async () => {
  const launch = (extra: Record<string, string>) =>
    launchDemo({
      buildWidget: false,
      emulatorKeys: testKeys(),
      env: { PORT: '0', EMULATOR_PORT: '0', LOG_LEVEL: 'silent', DATA_DIR: dataDir, ...extra },
    });
  const on = await launch({});
  try {
    expect(on.mle).toBe(true);
    expect(on.emulator?.config.mleRequired).toBe(true);
    expect(on.stub.config.mle.request?.kid).toMatch(/^SJC\d+$/);
    expect(on.stub.config.mle.response?.kid).toBe('demo-response-key');
    // A session's Flex v1 key (TMS and payments are the stub tests') arrives encrypted and is read.
    const session = await fetch(`${on.url}/api/checkout/sessions`, {
      method: 'POST',
      headers: { origin: on.url, 'content-type': 'application/json', 'idempotency-key': 'mle-1' },
      body: '{}',
    });
    expect(session.status).toBe(201);
  } finally {
    await on.close();
  }
  for (const off of [{ DEMO_MLE: 'false' }, { CYBERSOURCE_AUTH: 'http-signature' }]) {
    const demo = await launch(off);
    try {
      expect(demo.mle).toBe(false);
      expect(demo.emulator?.config.mleRequired).toBe(false);
      expect(demo.stub.config.mle).toEqual({ request: undefined, response: undefined });
    } finally {
      await demo.close();
    }
  }
});

it('answers only requests addressed to this machine: a rebound name never reads the page and its admin token, nor drives the emulator', async () => {
  const demo = await launchDemo({
    buildWidget: false,
    env: {
      PORT: '0',
      EMULATOR_PORT: '0',
      LOG_LEVEL: 'silent',
      DATA_DIR: dataDir,
      DEMO_MLE: 'false',
    },
  });
  /** A GET with this Host header, as a browser sends it for a page on that name. */
  const get = (url: string, host: string) =>
    new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = request(url, { headers: { host } }, (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      });
      req.on('error', reject);
      req.end();
    });
  try {
    const { port } = new URL(demo.url);
    // A name that merely starts with localhost is someone else's too.
    for (const host of [`rebind.attacker.example:${port}`, `localhost.attacker.example:${port}`]) {
      const rebound = await get(demo.url, host);
      expect([host, rebound.status]).toEqual([host, 421]);
      expect(rebound.body).not.toContain(demo.adminToken);
    }
    const admin = await get(`${demo.url}/api/admin/payments`, `rebind.attacker.example:${port}`);
    expect(admin.status).toBe(421);
    for (const host of [`localhost:${port}`, `127.0.0.1:${port}`])
      expect((await get(demo.url, host)).body).toContain(demo.adminToken);
    // Listening on loopback only: this machine's other addresses, if it has any, refuse.
    const lan = Object.values(networkInterfaces())
      .flat()
      .filter((a) => a && !a.internal && a.family === 'IPv4');
    for (const a of lan)
      await expect(get(`http://${a?.address}:${port}/`, `localhost:${port}`)).rejects.toMatchObject(
        {
          code: 'ECONNREFUSED',
        },
      );
    const emulatorPort = new URL(demo.emulator?.url ?? '').port;
    const control = `${demo.emulator?.url}/__emulator/requests`;
    expect((await get(control, `rebind.attacker.example:${emulatorPort}`)).status).toBe(403);
    expect((await get(control, `localhost:${emulatorPort}`)).status).toBe(200);
  } finally {
    await demo.close();
  }
});

it('against CyberSource serves a page with no admin token, whatever Host a reverse proxy forwards; never cached', async () => {
  const token = 'the-merchants-own-admin-token-0123456789';
  const cybersource = {
    CYBERSOURCE_MERCHANT_ID: 'demo_merchant',
    CYBERSOURCE_KEY_ID: '08c94330-f618-42a3-b09d-e1e43be5efda',
    CYBERSOURCE_SECRET_KEY: Buffer.alloc(32, 7).toString('base64'),
  };
  /** A GET with this Host, as a reverse proxy forwards a visitor's request. */
  const get = (url: string, host: string) =>
    new Promise<{ status: number; body: string; cacheControl: string | undefined }>(
      (resolve, reject) => {
        const req = request(url, { headers: { host } }, (res) => {
          let body = '';
          res.on('data', (c: Buffer) => (body += c));
          res.on('end', () =>
            resolve({
              status: res.statusCode ?? 0,
              body,
              cacheControl: res.headers['cache-control'],
            }),
          );
        });
        req.on('error', reject);
        req.end();
      },
    );
  const served = async (extra: Record<string, string>) => {
    const demo = await launchDemo({
      buildWidget: false,
      env: {
        PORT: '0',
        EMULATOR_PORT: '0',
        LOG_LEVEL: 'silent',
        DATA_DIR: dataDir,
        DEMO_MLE: 'false',
        ADMIN_TOKEN: token,
        ...extra,
      },
    });
    try {
      // Where a proxy sends (demo.url is the public one); with nginx's default
      // `Host: $proxy_host`, the browser's own, and the public name.
      const port = demo.stub.config.port;
      const pages = [];
      for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, 'shop.example'])
        pages.push({ host, ...(await get(`http://127.0.0.1:${port}/`, host)) });
      return { mode: demo.mode, pages };
    } finally {
      await demo.close();
    }
  };
  for (const base of ['https://apitest.cybersource.com', 'https://api.cybersource.com']) {
    const { mode, pages } = await served({
      ...cybersource,
      CYBERSOURCE_BASE_URL: base,
      CHECKOUT_PUBLIC_URL: 'https://shop.example',
    });
    expect(mode).toBe(base.includes('apitest') ? 'sandbox' : 'live');
    for (const page of pages) {
      const seen = { mode, host: page.host };
      expect({ ...seen, status: page.status }).toEqual({ ...seen, status: 200 });
      expect({ ...seen, token: page.body.includes(token) }).toEqual({ ...seen, token: false });
      expect(page.body).not.toContain('demo-admin-token');
      expect(page.body).toContain('<label for="admin-token">Admin token</label>');
      expect({ ...seen, cache: page.cacheControl }).toEqual({ ...seen, cache: 'no-store' });
    }
  }
  // On the emulator (nothing real to refund) the page carries it for its panel: never cached.
  const { mode, pages } = await served({});
  expect(mode).toBe('emulator');
  const local = pages.filter((p) => p.host !== 'shop.example');
  for (const page of local) {
    expect(page.body).toContain(`<meta name="demo-admin-token" content="${token}"`);
    expect(page.body).not.toContain('id="admin-token"');
    expect(page.cacheControl).toBe('no-store');
  }
});

it('writes an admin token holding quotes or replacement patterns into the page as it is', async () => {
  const token = `a"b$'c$&d<e>&f-{{ENVIRONMENT}}-0123456789`;
  const { html } = await demoAssets({
    adminToken: token,
    environment: 'Test mode',
    mode: 'emulator',
  });
  const meta = /<meta name="demo-admin-token" content="([^"]*)"/.exec(html)?.[1] ?? '';
  expect(meta.replace(/&#(\d+);/g, (_, n) => String.fromCharCode(Number(n)))).toBe(token);
  expect(html).toContain('<p class="env">Test mode</p>');
});

it('against CyberSource writes no admin token into the page, and asks for it in the panel', async () => {
  const token = 'the-merchants-own-admin-token-0123456789';
  for (const mode of ['sandbox', 'live'] as const) {
    const { html } = await demoAssets({ adminToken: token, environment: 'Somewhere', mode });
    expect([mode, html.includes(token)]).toEqual([mode, false]);
    expect(html).not.toContain('demo-admin-token');
    expect(html).not.toContain('{{ADMIN_TOKEN}}');
    expect(html).toMatch(/<label for="admin-token">Admin token<\/label>/);
    expect(html).toMatch(/<input id="admin-token" type="password"/);
  }
  const { html } = await demoAssets({ adminToken: token, environment: 'Here', mode: 'emulator' });
  expect(html).toContain(token);
  expect(html).not.toContain('id="admin-token"');
});

/** What `npm start` prints, up to its banner's last line, with `extra` settings. */
async function banner(extra: Record<string, string>): Promise<string> {
  const proc = spawn(process.execPath, ['--import', 'tsx', 'demo/start.ts'], {
    cwd: fileURLToPath(new URL('../../', import.meta.url)),
    env: {
      PATH: process.env.PATH ?? '',
      ...env({ PORT: '0', EMULATOR_PORT: '0' }),
      // A store of its own: a run killed before it leaves its folder as it is.
      DATA_DIR: await mkdtemp(join(dataDir, 'run-')),
      DEMO_MLE: 'false',
      ...extra,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let printed = '';
  proc.stdout.on('data', (d: Buffer) => (printed += d));
  proc.stderr.on('data', (d: Buffer) => (printed += d));
  try {
    // The banner's last line: the token line, when there is one, came before it.
    await until(
      'npm start to print its banner',
      async () => (printed.includes('Press Ctrl+C to stop.') ? true : undefined),
      () => `:\n${printed}`,
      60_000,
    );
  } finally {
    if (proc.exitCode === null && proc.signalCode === null) {
      const exited = new Promise((r) => proc.once('exit', r));
      proc.kill('SIGKILL');
      await exited;
    }
  }
  return printed;
}

it("never prints the merchant's own ADMIN_TOKEN at npm start", async () => {
  const token = 'the-merchants-own-admin-token-0123456789';
  const printed = await banner({ ADMIN_TOKEN: token });
  expect(printed).toMatch(/Demo shop +http:\/\/localhost:\d+\//);
  expect(printed).not.toContain(token);
}, 90_000);

it('against CyberSource npm start tells the operator to type the admin token into the panel, printing only one it generated', async () => {
  const sandbox = {
    CYBERSOURCE_BASE_URL: 'https://apitest.cybersource.com',
    CYBERSOURCE_MERCHANT_ID: 'demo_merchant',
    CYBERSOURCE_KEY_ID: '08c94330-f618-42a3-b09d-e1e43be5efda',
    CYBERSOURCE_SECRET_KEY: Buffer.alloc(32, 7).toString('base64'),
  };
  const token = 'the-merchants-own-admin-token-0123456789';
  const own = await banner({ ...sandbox, ADMIN_TOKEN: token });
  expect(own).not.toContain(token);
  expect(own).toMatch(/Merchant token +your ADMIN_TOKEN/);
  expect(own).toContain("Type it into the page's merchant panel");
  // No ADMIN_TOKEN: the one generated for this run, once, to the operator's own terminal.
  const generated = await banner(sandbox);
  const printed = /Merchant token +([0-9a-f-]{36}) \(generated for this run\)/.exec(generated);
  expect(printed?.[1]).toBeDefined();
  expect(generated.split(printed?.[1] ?? '-').length).toBe(2);
  expect(generated).toContain("Type it into the page's merchant panel");
}, 120_000);
