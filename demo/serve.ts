/**
 * @module The demo page, served from the stub's own origin (DESIGN.md: `npm start` serves it at
 * http://localhost:3000) through the stub's `mount` hook; the stub serves the widget bundle
 * itself (`server-stub/http/routes/widget.ts`).
 */
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import type { Hono } from 'hono';
import type { StubEnv } from '../server-stub/http/env.ts';
import type { DemoMode } from './launch.ts';

const PAGE = resolve(import.meta.dirname, 'page');

export interface DemoAssets {
  html: string;
  script: string;
  css: string;
}

/**
 * Parts of the page template for one kind of CyberSource only, between HTML comments (global:
 * a part may come more than once, the admin token's meta and the panel's token form among them).
 */
const EMULATOR_ONLY = /<!-- emulator -->[\s\S]*?<!-- \/emulator -->/g;
const CYBERSOURCE_ONLY = /<!-- cybersource -->[\s\S]*?<!-- \/cybersource -->/g;
/** What is for testing only (the test cards section): not on a page that charges real cards. */
const TESTING_ONLY = /<!-- testing -->[\s\S]*?<!-- \/testing -->/g;

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);

/** Bundles the page script once and fills the page template. */
export async function demoAssets(opts: {
  adminToken: string;
  environment: string;
  /**
   * The page lists the emulator's test cards and triggers only on the emulator, CyberSource's
   * on the sandbox, and none live (real cards are charged). It carries the admin token only on
   * the emulator; against CyberSource the merchant panel asks the operator for it.
   */
  mode: DemoMode;
}): Promise<DemoAssets> {
  const bundled = await build({
    entryPoints: [join(PAGE, 'demo.ts')],
    bundle: true,
    write: false,
    format: 'iife',
    target: 'es2022',
    minify: true,
  });
  const template = await readFile(join(PAGE, 'index.html'), 'utf8');
  const emulator = opts.mode === 'emulator';
  // On the emulator the admin token is in the page: nothing there is real money, and the panel
  // works with no step. Against CyberSource (sandbox or live) the page is not: anyone who can
  // load it — through a reverse proxy, whose `Host: 127.0.0.1` passes the host check — would
  // read the token and could refund every payment or cancel every subscription. There the
  // panel asks for it (demo/page/api.ts), and the page holds no secret.
  // Escaped, and through a function: a token may hold `"` or `$'`, which a replacement string
  // would read as a pattern (ADMIN_TOKEN takes any visible ASCII).
  const html = template
    .replace(emulator ? CYBERSOURCE_ONLY : EMULATOR_ONLY, '')
    .replace(opts.mode === 'live' ? TESTING_ONLY : /<!-- \/?testing -->/g, '')
    // One pass: a token holding `{{ENVIRONMENT}}` stays as it is.
    .replace(/\{\{(ADMIN_TOKEN|ENVIRONMENT)\}\}/g, (_, name) =>
      name === 'ENVIRONMENT'
        ? escapeHtml(opts.environment)
        : emulator
          ? escapeHtml(opts.adminToken)
          : '',
    );
  return {
    html,
    script: bundled.outputFiles[0]?.text ?? '',
    css: await readFile(join(PAGE, 'demo.css'), 'utf8'),
  };
}

export function mountDemo(assets: DemoAssets): (app: Hono<StubEnv>) => void {
  return (app) => {
    // The stub's CSP carries a fresh nonce per response (server-stub/http/security/csp.ts).
    // No cache may keep the page (a proxy's, the browser's back-forward copy on a shared
    // machine): on the emulator it carries the admin token (RFC 9111 §5.2.2.5).
    app.get('/', (c) => {
      c.header('cache-control', 'no-store');
      return c.html(assets.html.replaceAll('{{NONCE}}', c.get('cspNonce') ?? ''));
    });
    app.get('/demo/demo.js', (c) =>
      c.body(assets.script, 200, { 'content-type': 'text/javascript; charset=utf-8' }),
    );
    app.get('/demo/demo.css', (c) =>
      c.body(assets.css, 200, { 'content-type': 'text/css; charset=utf-8' }),
    );
  };
}
