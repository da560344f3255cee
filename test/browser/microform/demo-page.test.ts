/**
 * The emulator's bare Microform page (`/microform/v2/demo?captureContext=…`): it loads the
 * emulated fields from a capture context in its URL, and it shares its origin with the control
 * API, so a link carrying a forged context must not run a script of the link's choosing there.
 */
import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { launchChromium } from '../../helpers/browser.ts';
import { type Harness, startHarness } from './harness.ts';

/** What an attacker's script would do on the emulator's origin: wipe it and say so. */
const ATTACK = `fetch('/__emulator/reset', { method: 'POST' }); document.title = 'PWNED';`;
const integrity = `sha384-${createHash('sha384').update(ATTACK).digest('base64')}`;

let browser: Browser;
let h: Harness;
let attacker: Server;
let attackerOrigin: string;
/** The emulator as its public URL names it (its capture contexts' library is there). */
let emulatorOrigin: string;

beforeAll(async () => {
  attacker = createServer((_req, res) => {
    res.writeHead(200, {
      'content-type': 'application/javascript',
      'access-control-allow-origin': '*',
    });
    res.end(ATTACK);
  });
  await new Promise<void>((resolve) => attacker.listen(0, '127.0.0.1', resolve));
  attackerOrigin = `http://127.0.0.1:${(attacker.address() as AddressInfo).port}`;
  [browser, h] = await Promise.all([launchChromium(), startHarness()]);
  emulatorOrigin = `http://localhost:${new URL(h.emulator.url).port}`;
});
afterAll(async () => {
  attacker?.closeAllConnections();
  await Promise.all([
    browser?.close(),
    h?.close(),
    new Promise((resolve) => attacker?.close(resolve)),
  ]);
});

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

it('loads the emulated fields from a capture context for its own origin', async () => {
  const captureContext = await h.captureContext({ targetOrigins: [emulatorOrigin] });
  const page = await browser.newPage();
  try {
    await page.goto(
      `${emulatorOrigin}/microform/v2/demo?captureContext=${encodeURIComponent(captureContext)}`,
    );
    // Both fields' `load` events are logged in the page's output, newest first.
    await expect
      .poll(
        async () => {
          const out = (await page.locator('#out').textContent()) ?? '';
          return ['number load', 'securityCode load'].filter((e) => out.includes(e));
        },
        { timeout: 10_000 },
      )
      .toHaveLength(2);
    expect(page.frames().some((f) => f.name().startsWith('microform-number-'))).toBe(true);
  } finally {
    await page.close();
  }
});

it("refuses a forged capture context's library from another origin: nothing runs on the emulator's", async () => {
  h.emulator.state.faults.add({ method: 'POST', path: '/pts/', fault: '502', times: 1 });
  const forged = `${b64({ alg: 'none' })}.${b64({
    ctx: [
      { data: { clientLibrary: `${attackerOrigin}/lib.js`, clientLibraryIntegrity: integrity } },
    ],
  })}.x`;
  const page = await browser.newPage();
  const loaded: string[] = [];
  page.on('request', (r) => loaded.push(r.url()));
  try {
    await page.goto(`${emulatorOrigin}/microform/v2/demo?captureContext=${forged}`);
    await expect
      .poll(() => page.locator('#out').textContent(), { timeout: 10_000 })
      .toContain('refused');
    expect(await page.title()).not.toContain('PWNED');
    expect(loaded.some((u) => u.startsWith(attackerOrigin))).toBe(false);
    // The sandbox kept its state: the armed fault is still there.
    expect(h.emulator.state.faults.take('POST', '/pts/v2/payments')).toBeDefined();
  } finally {
    await page.close();
  }
});

it('forbids other-origin scripts by CSP too, whatever the page script checks', async () => {
  const res = await fetch(`${h.emulator.url}/microform/v2/demo`);
  const csp = res.headers.get('content-security-policy') ?? '';
  const scripts = csp.split(';').find((d) => d.trim().startsWith('script-src')) ?? '';
  expect(scripts.trim().split(/\s+/).slice(1).sort()).toEqual(["'self'", emulatorOrigin].sort());
  expect(csp).toContain("frame-ancestors 'none'");
});
