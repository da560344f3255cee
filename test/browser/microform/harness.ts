/**
 * Test harness for the emulated Microform: an emulator, a merchant page on another origin
 * that integrates Microform exactly like CyberSource's sample (dynamic script with SRI), and
 * helpers to read what the page saw.
 *
 * Both servers listen on 127.0.0.1 but are reached as `localhost:<port>`: targetOrigins allow
 * plain http only for localhost, and different ports make different origins.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { decodeJwt, importJWK, type JWTPayload, jwtVerify } from 'jose';
import type { Browser, BrowserContext, Frame, Page } from 'playwright-core';
import { NETWORK_NAMES } from '../../../cybersource/networks/index.ts';
import type { EmulatorOptions } from '../../../emulator/app.ts';
import { type RunningEmulator, startEmulator } from '../../../emulator/server.ts';
import { cybersourceCaller } from '../../helpers/cybersource-request.ts';
import { testKeys } from '../../helpers/test-keys.ts';

export const ALL_NETWORKS = [...NETWORK_NAMES];

export interface Merchant {
  origin: string;
  /** Next page served at `/checkout`: a capture context and optional field options. */
  setCheckout(config: CheckoutConfig): void;
  close(): Promise<void>;
}

export interface CheckoutConfig {
  captureContext: string;
  numberOptions?: Record<string, unknown>;
  securityCodeOptions?: Record<string, unknown>;
  microformOptions?: Record<string, unknown>;
}

/**
 * The merchant's checkout page. It records every field event (payloads are what Microform
 * chose to give the page) in `window.events` and exposes `window.tokenize(options)`.
 */
function checkoutHtml(config: CheckoutConfig): string {
  return `<!doctype html>
<html><head><meta charset="utf-8"><title>Merchant checkout</title>
<style>.box{height:38px;border:1px solid #888;width:320px}</style></head>
<body>
<h1>Checkout</h1>
<div id="number-container" class="box"></div>
<div id="securityCode-container" class="box"></div>
<script>
  window.events = [];
  window.loadErrors = [];
  var config = ${JSON.stringify(config)};
  var payload = JSON.parse(atob(config.captureContext.split('.')[1].replace(/-/g, '+').replace(/_/g, '/')));
  var script = document.createElement('script');
  script.src = payload.ctx[0].data.clientLibrary;
  script.integrity = payload.ctx[0].data.clientLibraryIntegrity;
  script.crossOrigin = 'anonymous';
  script.onerror = function () { window.loadErrors.push('script'); };
  script.onload = function () {
    try {
      window.flexStartedAt = performance.now();
      var flex = new Flex(config.captureContext);
      var microform = flex.microform('card', config.microformOptions || {});
      var fields = {
        number: microform.createField('number', config.numberOptions || {}),
        securityCode: microform.createField('securityCode', config.securityCodeOptions || {}),
      };
      ['number', 'securityCode'].forEach(function (name) {
        ['autocomplete', 'blur', 'change', 'error', 'focus', 'inputSubmitRequest', 'load', 'unload', 'update'].forEach(function (type) {
          fields[name].on(type, function (data) {
            window.events.push({ field: name, type: type, data: data === undefined ? null : JSON.parse(JSON.stringify(data)), at: performance.now() });
          });
        });
      });
      window.microform = microform;
      window.fields = fields;
      window.tokenize = function (options) {
        return new Promise(function (resolve) {
          var startedAt = performance.now();
          microform.createToken(options, function (err, token) {
            window.lastTokenMs = performance.now() - startedAt;
            resolve(err ? { error: JSON.parse(JSON.stringify({ name: err.name, reason: err.reason, message: err.message, details: err.details, informationLink: err.informationLink })) } : { token: token });
          });
        });
      };
      fields.number.load('#number-container');
      fields.securityCode.load('#securityCode-container');
    } catch (e) {
      window.loadErrors.push({ name: e.name, reason: e.reason, message: e.message });
    }
  };
  document.head.appendChild(script);
</script>
</body></html>`;
}

export async function startMerchant(): Promise<Merchant> {
  let config: CheckoutConfig | undefined;
  const server: Server = createServer((req, res) => {
    if (req.url?.startsWith('/checkout') && config) {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(checkoutHtml(config));
      return;
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://localhost:${port}`,
    setCheckout(next) {
      config = next;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export interface Harness {
  emulator: RunningEmulator;
  merchant: Merchant;
  /** A fresh capture context from `POST /microform/v2/sessions`. */
  captureContext(options?: {
    targetOrigins?: string[];
    allowedCardNetworks?: string[];
  }): Promise<string>;
  close(): Promise<void>;
}

export async function startHarness(options: EmulatorOptions = {}): Promise<Harness> {
  const [emulator, merchant] = await Promise.all([
    startEmulator({ keys: testKeys(), ...options }),
    startMerchant(),
  ]);
  const call = cybersourceCaller(fetch, emulator.url);
  return {
    emulator,
    merchant,
    async captureContext(o = {}) {
      const res = await call('/microform/v2/sessions', {
        body: {
          clientVersion: 'v2',
          targetOrigins: o.targetOrigins ?? [merchant.origin],
          allowedCardNetworks: o.allowedCardNetworks ?? ['VISA', 'MASTERCARD', 'AMEX'],
          allowedPaymentTypes: ['CARD'],
        },
        headers: { accept: 'application/jwt' },
        // Signed host must be the Host header the request arrives with.
        host: new URL(emulator.url).host,
        // The emulator's clock (tests move it) decides the signature's freshness.
        date: emulator.state.now(),
      });
      if (res.status !== 201) throw new Error(`sessions: ${res.status} ${res.text}`);
      return res.text;
    },
    async close() {
      await Promise.all([emulator.close(), merchant.close()]);
    },
  };
}

export interface FieldEventRecord {
  field: 'number' | 'securityCode';
  type: string;
  data: any;
}

/** Opens the checkout with `config` and waits for both fields' `load`. */
export async function openCheckout(
  browser: Browser,
  h: Harness,
  config: CheckoutConfig,
  /** Runs before navigation, e.g. to record every request from the start. */
  instrument?: (page: Page) => void,
): Promise<{ context: BrowserContext; page: Page }> {
  h.merchant.setCheckout(config);
  const context = await browser.newContext();
  const page = await context.newPage();
  instrument?.(page);
  await page.goto(`${h.merchant.origin}/checkout`);
  return { context, page };
}

export async function waitForLoad(page: Page): Promise<void> {
  await page.waitForFunction(
    () => (window as any).events.filter((e: any) => e.type === 'load').length === 2,
    undefined,
    { timeout: 10_000 },
  );
}

export function events(page: Page): Promise<FieldEventRecord[]> {
  return page.evaluate(() => (window as any).events);
}

export async function lastChange(page: Page, field: 'number' | 'securityCode'): Promise<any> {
  const all = await events(page);
  return all.filter((e) => e.field === field && e.type === 'change').at(-1)?.data;
}

/** The field iframe for `field` (its input is `input.field`). */
export function fieldInput(page: Page, field: 'number' | 'securityCode') {
  return page.frameLocator(`#${field}-container iframe`).locator('input.field');
}

export function fieldFrame(page: Page, field: 'number' | 'securityCode'): Frame {
  const frame = page.frames().find((f) => f.name().startsWith(`microform-${field}-`));
  if (!frame) throw new Error(`no ${field} frame`);
  return frame;
}

export function tokenize(
  page: Page,
  options: Record<string, unknown>,
): Promise<{ token?: string; error?: any }> {
  return page.evaluate((o) => (window as any).tokenize(o), options);
}

/** Verifies a transient token with the capture context's `flx.jwk` (API-FACTS §5.5). */
export async function verifyTransientToken(
  token: string,
  captureContext: string,
): Promise<JWTPayload> {
  const flx = decodeJwt(captureContext).flx as { jwk: Record<string, string> };
  const key = await importJWK({ ...flx.jwk, alg: 'RS256' }, 'RS256');
  const { payload } = await jwtVerify(token, key, { algorithms: ['RS256'] });
  return payload;
}
