/**
 * @module Browser-facing routes of the emulated Microform: the library, the field iframe
 * page and script, and the bare demo page. Unauthenticated, like CyberSource's asset hosts.
 */
import { Hono } from 'hono';
import type { EmulatorDeps, EmulatorEnv } from '../http/env.ts';
import { MICROFORM_LIBRARY_PATH, microformLibrary } from './assets.ts';
import { bundle } from './bundle.ts';
import { DEMO_SCRIPT, demoPageCsp, demoPageHtml } from './demo-page.ts';
import { FIELD_PAGE_CSP, FIELD_PAGE_HTML, FIELD_SCRIPT_PATH } from './field-page.ts';
import { FIELD_PAGE_PATH } from './shared/messages.ts';

const JS = 'application/javascript; charset=utf-8';

export function microformRoutes(deps: EmulatorDeps): Hono<EmulatorEnv> {
  const app = new Hono<EmulatorEnv>();

  // `<script integrity crossorigin="anonymous">` needs CORS to hash the response (§3.2).
  app.get(MICROFORM_LIBRARY_PATH, async (c) => {
    const { body } = await microformLibrary();
    return c.body(body, 200, {
      'Content-Type': JS,
      'Access-Control-Allow-Origin': '*',
      'Cross-Origin-Resource-Policy': 'cross-origin',
      'Cache-Control': 'no-cache',
      'X-Content-Type-Options': 'nosniff',
    });
  });

  app.get(FIELD_PAGE_PATH, (c) =>
    c.body(FIELD_PAGE_HTML, 200, {
      'Content-Type': 'text/html; charset=utf-8',
      'Content-Security-Policy': FIELD_PAGE_CSP,
      'Referrer-Policy': 'no-referrer',
      'Cache-Control': 'no-cache',
      'X-Content-Type-Options': 'nosniff',
    }),
  );

  app.get(FIELD_SCRIPT_PATH, async (c) =>
    c.body(await bundle('field'), 200, {
      'Content-Type': JS,
      'Cache-Control': 'no-cache',
      'X-Content-Type-Options': 'nosniff',
    }),
  );

  app.get('/microform/v2/demo', (c) =>
    c.html(demoPageHtml(c.req.query('captureContext'), deps.config.publicUrl), 200, {
      'Content-Security-Policy': demoPageCsp(deps.config.publicUrl),
      'Referrer-Policy': 'no-referrer',
      'X-Content-Type-Options': 'nosniff',
    }),
  );
  app.get('/microform/v2/demo.js', (c) => c.body(DEMO_SCRIPT, 200, { 'Content-Type': JS }));

  return app;
}
