/**
 * @module The demo page and the widget bundle, served from the stub's own origin (DESIGN.md:
 * `npm start` serves them at http://localhost:3000) through the stub's `mount` hook.
 */
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import type { Hono } from 'hono';
import type { StubEnv } from '../server-stub/http/env.ts';

const PAGE = resolve(import.meta.dirname, 'page');
const WIDGET = resolve(import.meta.dirname, '../dist/widget');

export interface DemoAssets {
  html: string;
  script: string;
  css: string;
}

/** Bundles the page script once and fills the page template. */
export async function demoAssets(opts: {
  adminToken: string;
  environment: string;
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
    html: template
      .replace('{{ADMIN_TOKEN}}', opts.adminToken)
      .replace('{{ENVIRONMENT}}', opts.environment),
    script: bundled.outputFiles[0]?.text ?? '',
    css: await readFile(join(PAGE, 'demo.css'), 'utf8'),
  };
}

const WIDGET_FILES: Record<string, string> = {
  'checkout.js': 'text/javascript; charset=utf-8',
  'checkout.mjs': 'text/javascript; charset=utf-8',
  'checkout.css': 'text/css; charset=utf-8',
  // The languages other than English, which checkout.js loads on demand (SRI-pinned).
  'checkout.fr.js': 'text/javascript; charset=utf-8',
  'checkout.es.js': 'text/javascript; charset=utf-8',
  'checkout.de.js': 'text/javascript; charset=utf-8',
};

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
    app.get('/widget/:file', async (c) => {
      const file = c.req.param('file');
      const type = WIDGET_FILES[file];
      if (!type) return c.notFound();
      try {
        return c.body(await readFile(join(WIDGET, file)), 200, {
          'content-type': type,
          'cache-control': 'no-cache',
        });
      } catch {
        return c.notFound();
      }
    });
  };
}
