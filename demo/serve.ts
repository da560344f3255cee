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

/** Parts of the page template for one kind of CyberSource only, between HTML comments. */
const EMULATOR_ONLY = /<!-- emulator -->[\s\S]*?<!-- \/emulator -->/;
const CYBERSOURCE_ONLY = /<!-- cybersource -->[\s\S]*?<!-- \/cybersource -->/;
/** What is for testing only (the test cards section): not on a page that charges real cards. */
const TESTING_ONLY = /<!-- testing -->[\s\S]*?<!-- \/testing -->/;

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);

/** Bundles the page script once and fills the page template. */
export async function demoAssets(opts: {
  adminToken: string;
  environment: string;
  /**
   * The page lists the emulator's test cards and triggers only on the emulator, CyberSource's
   * on the sandbox, and none live (real cards are charged).
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
  return {
    // The admin token is the merchant's own: this page is the merchant's sandbox console.
    // Escaped, and through a function: a token may hold `"` or `$'`, which a replacement
    // string would read as a pattern (ADMIN_TOKEN takes any visible ASCII).
    html: template
      .replace('{{ADMIN_TOKEN}}', () => escapeHtml(opts.adminToken))
      .replace('{{ENVIRONMENT}}', () => escapeHtml(opts.environment))
      .replace(opts.mode === 'emulator' ? CYBERSOURCE_ONLY : EMULATOR_ONLY, '')
      .replace(opts.mode === 'live' ? TESTING_ONLY : /<!-- \/?testing -->/g, ''),
    script: bundled.outputFiles[0]?.text ?? '',
    css: await readFile(join(PAGE, 'demo.css'), 'utf8'),
  };
}

export function mountDemo(assets: DemoAssets): (app: Hono<StubEnv>) => void {
  return (app) => {
    // The stub's CSP carries a fresh nonce per response (server-stub/http/security/csp.ts).
    app.get('/', (c) => c.html(assets.html.replaceAll('{{NONCE}}', c.get('cspNonce') ?? '')));
    app.get('/demo/demo.js', (c) =>
      c.body(assets.script, 200, { 'content-type': 'text/javascript; charset=utf-8' }),
    );
    app.get('/demo/demo.css', (c) =>
      c.body(assets.css, 200, { 'content-type': 'text/css; charset=utf-8' }),
    );
  };
}
