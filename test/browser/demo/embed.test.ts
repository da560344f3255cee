/**
 * The widget embedded the way README "Embedding the widget" tells a merchant: one `<script>` tag
 * on the merchant's own page (another origin), loading checkout.js from the stub with the
 * integrity hash `npm run sri` prints and `crossorigin`, and the stub compressing what it sends.
 */

import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { OUT } from '../../../widget/build/build.ts';
import { buildPath, scriptSnippet, sriOf } from '../../../widget/build/sri.ts';
import {
  openShop,
  payButton,
  type Shop,
  STEP_MS,
  successText,
  typeCard,
  VISA,
  waitForCheckout,
  widget,
} from './harness.ts';

let merchant: Server;
let merchantUrl: string;
let shop: Shop;
/**
 * The page's `<script>` tag for each test: the documented snippet, or one with a wrong hash. The
 * widget mounts right after the tag, so inside the `#checkout` the harness's steps look in.
 */
let snippet = '';
/** The page's own content after the checkout's `<main>`, for a test that adds to the page. */
let trailer = '';

beforeAll(async () => {
  merchant = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(
      `<!doctype html><html lang="en"><title>A shop</title><main id="checkout">${snippet}</main>${trailer}</html>`,
    );
  });
  await new Promise<void>((r) => merchant.listen(0, 'localhost', r));
  merchantUrl = `http://localhost:${(merchant.address() as AddressInfo).port}`;
  // The merchant's page is a site of its own: the capture context's targetOrigins and CORS.
  shop = await openShop({ CHECKOUT_ALLOWED_SITES: merchantUrl });
});
afterAll(async () => {
  await shop?.close();
  await new Promise((r) => merchant?.close(r));
});

/** What `npm run sri` prints for this build: its own address, its hash, `crossorigin`. */
const documented = async () => {
  const bytes = await readFile(join(OUT, 'checkout.js'));
  return scriptSnippet({
    src: `${shop.demo.url}${buildPath(bytes)}`,
    integrity: sriOf(bytes),
    endpoint: shop.demo.url,
  });
};

it('mounts and pays from a merchant page on another origin, the script compressed and its hash checked', async () => {
  snippet = await documented();
  const context = await shop.browser.newContext();
  try {
    const page = await context.newPage();
    const src = /src="([^"]+)"/.exec(snippet)?.[1] as string;
    const script = page.waitForResponse((r) => r.url() === src);
    await page.goto(`${merchantUrl}/`);
    const res = await script;
    expect(res.status()).toBe(200);
    // Chromium takes brotli from localhost as from any HTTPS origin: about 14 KB, not the 36 built.
    expect((await res.allHeaders())['content-encoding']).toBe('br');
    await waitForCheckout(page, /Project T-shirt/);
    await typeCard(page, { number: VISA.number });
    await payButton(page).click();
    expect(await successText(page)).toBe('Payment successful. $25.00 paid with Visa ending 1111.');
  } finally {
    await context.close();
  }
});

it('two checkouts on one page pay on a first visit, each (one shopper cookie between them)', async () => {
  // The documented tag for a T-shirt, and a second checkout for the plan mounted by script.
  // The tag is async: the page's own script waits for it (the load event does).
  snippet = await documented();
  trailer = `<div id="second"></div><script>addEventListener('load', () =>
    CyberCheckout.mount(document.getElementById('second'),
      { endpoint: ${JSON.stringify(shop.demo.url)}, item: 'pro-monthly' }));</script>`;
  const context = await shop.browser.newContext();
  try {
    const page = await context.newPage();
    await page.goto(`${merchantUrl}/`);
    const pays = async (at: string, expected: RegExp) => {
      const w = page.locator(at);
      await w.getByRole('button', { name: /^Pay/ }).and(page.locator(':enabled')).waitFor({
        timeout: STEP_MS,
      });
      await page
        .frameLocator(`${at} [data-cc-field=number] iframe`)
        .locator('input[name=number]')
        .pressSequentially(VISA.number);
      await page
        .frameLocator(`${at} [data-cc-field=securityCode] iframe`)
        .locator('input[name=securityCode]')
        .pressSequentially('123');
      await w.getByLabel('Expiry (MM/YY)').fill('12/31');
      await w.getByLabel('Name on card').fill('Ada Lovelace');
      await w.getByLabel('Email').fill('ada@example.com');
      await w.getByRole('button', { name: /^Pay/ }).click();
      const done = w.locator('.cc-done');
      await done.waitFor({ timeout: STEP_MS });
      expect(await done.textContent()).toMatch(expected);
    };
    // The one mounted second pays first: its session was answered last.
    await pays('#second', /^Payment successful\. \$9\.00/);
    await pays('#checkout', /^Payment successful\. \$25\.00/);
  } finally {
    trailer = '';
    await context.close();
  }
});

it("styles and pays from inside a web component's shadow root, where the page's CSS does not reach", async () => {
  snippet = await documented();
  trailer = `<shop-checkout></shop-checkout><script>
    customElements.define('shop-checkout', class extends HTMLElement {
      connectedCallback() {
        const el = document.createElement('div');
        this.attachShadow({ mode: 'open' }).append(el);
        addEventListener('load', () => CyberCheckout.mount(el,
          { endpoint: ${JSON.stringify(shop.demo.url)}, item: 'pro-monthly' }));
      }
    });</script>`;
  const context = await shop.browser.newContext();
  try {
    const page = await context.newPage();
    await page.goto(`${merchantUrl}/`);
    // Playwright's locators pierce open shadow roots, as a shopper's eyes do.
    const w = page.locator('shop-checkout');
    const pay = w.getByRole('button', { name: /^Pay/ });
    await pay.and(page.locator(':enabled')).waitFor({ timeout: STEP_MS });
    // Styled: the widget's grid and its button's colour, not a browser's bare defaults.
    const look = await pay.evaluate((b) => {
      const css = getComputedStyle(b);
      return { bg: css.backgroundColor, radius: css.borderTopLeftRadius };
    });
    expect(look.bg).not.toBe('rgb(239, 239, 239)');
    expect(look.radius).not.toBe('0px');
    expect(
      await page.evaluate(
        () =>
          document
            .querySelector('shop-checkout')
            ?.shadowRoot?.querySelectorAll('style[data-cyber-checkout]').length,
      ),
    ).toBe(1);
    await page
      .frameLocator('shop-checkout [data-cc-field=number] iframe')
      .locator('input[name=number]')
      .pressSequentially(VISA.number);
    await page
      .frameLocator('shop-checkout [data-cc-field=securityCode] iframe')
      .locator('input[name=securityCode]')
      .pressSequentially('123');
    await w.getByLabel('Expiry (MM/YY)').fill('12/31');
    await w.getByLabel('Name on card').fill('Ada Lovelace');
    await w.getByLabel('Email').fill('ada@example.com');
    await pay.click();
    const done = w.locator('.cc-done');
    await done.waitFor({ timeout: STEP_MS });
    expect(await done.textContent()).toMatch(/^Payment successful\. \$9\.00/);
  } finally {
    trailer = '';
    await context.close();
  }
});

it("runs a returning shopper's checkout.js from the browser's cache, asking the stub nothing", async () => {
  snippet = await documented();
  const src = /src="([^"]+)"/.exec(snippet)?.[1] as string;
  const context = await shop.browser.newContext();
  try {
    const page = await context.newPage();
    await page.goto(`${merchantUrl}/`);
    await waitForCheckout(page, /Project T-shirt/);
    // Chromium's own account of where each request was answered (Playwright does not say).
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    const asked: string[] = [];
    const cached = new Set<string>();
    cdp.on('Network.requestWillBeSent', (e) => e.request.url === src && asked.push(e.requestId));
    cdp.on('Network.requestServedFromCache', (e) => cached.add(e.requestId));
    await page.goto(`${merchantUrl}/`);
    await waitForCheckout(page, /Project T-shirt/);
    expect(asked).toHaveLength(1);
    // From the cache, not even a revalidation (what the unversioned /widget/checkout.js costs).
    expect(asked.filter((id) => !cached.has(id))).toEqual([]);
  } finally {
    await context.close();
  }
});

it('does not run a checkout.js whose bytes differ from the hash on the page', async () => {
  // The hash of other bytes: what a tampered or mismatched build looks like to the browser.
  snippet = (await documented()).replace(/sha384-[^"]+/, sriOf(new TextEncoder().encode('x')));
  const context = await shop.browser.newContext();
  try {
    const page = await context.newPage();
    const refused = page.waitForEvent('console', {
      predicate: (m) => m.type() === 'error' && /integrity/i.test(m.text()),
      timeout: STEP_MS,
    });
    await page.goto(`${merchantUrl}/`);
    await refused;
    expect(await page.evaluate(() => 'CyberCheckout' in window)).toBe(false);
    // Nothing mounted after the tag: no form, and no card field asked of Microform.
    expect(await widget(page).locator('.cc').count()).toBe(0);
    expect(await page.locator('iframe').count()).toBe(0);
  } finally {
    await context.close();
  }
});
