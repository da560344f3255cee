/**
 * The merchant panel against CyberSource (the sandbox here; live is the same page): the page
 * carries no admin token, so a visitor who loads it through a reverse proxy reads none. The
 * shop works without it; the operator types the token into the panel, a wrong one is refused
 * with the stub's 401 said, and the right one opens the panel in that tab only, until the tab
 * is closed or the token forgotten. Nothing here reaches CyberSource: the sandbox's payment is
 * written into the store, and the page's calls that would go there are stopped.
 */
import { createRequire } from 'node:module';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { finishPayment, insertPendingPayment } from '../../../server-stub/store/payments.ts';
import { openShop, type Shop, STEP_MS } from './harness.ts';

const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
const TOKEN = 'the-operators-own-admin-token-0123456789';
const SANDBOX = {
  CYBERSOURCE_BASE_URL: 'https://apitest.cybersource.com',
  CYBERSOURCE_MERCHANT_ID: 'demo_merchant',
  CYBERSOURCE_KEY_ID: '08c94330-f618-42a3-b09d-e1e43be5efda',
  CYBERSOURCE_SECRET_KEY: Buffer.alloc(32, 7).toString('base64'),
  ADMIN_TOKEN: TOKEN,
};

let shop: Shop;

beforeAll(async () => {
  shop = await openShop(SANDBOX);
  expect(shop.demo.mode).toBe('sandbox');
  // A T-shirt paid in the sandbox, as the stub records one.
  const { db } = shop.demo.stub;
  const id = 'pay_sandbox_tshirt';
  const now = new Date();
  const written = await insertPendingPayment(db, {
    id,
    kind: 'one_time',
    shopperId: undefined,
    sessionId: undefined,
    itemId: 'tshirt',
    subscriptionId: undefined,
    period: undefined,
    amount: 2500,
    currency: 'USD',
    transactionId: 'txn_sandbox_tshirt',
    referenceCode: 'ref_sandbox_tshirt',
    paymentMethodId: undefined,
    customerId: undefined,
    cardBrand: 'visa',
    cardLast4: '1111',
    createdAt: now,
  });
  expect(written.written).toBe(true);
  await finishPayment(
    db,
    id,
    { status: 'succeeded', cybersourceId: '7000000000000000000001' },
    now,
  );
});

afterAll(async () => {
  await shop?.close();
});

/**
 * A visitor or the operator in a fresh context, on the page: what it asks the stub is kept, and
 * the checkout's calls (which would reach CyberSource) are stopped, as is CyberSource itself.
 */
async function visit(options: { bypassCSP?: boolean } = {}): Promise<{
  context: BrowserContext;
  page: Page;
  asked: string[];
}> {
  const context = await shop.browser.newContext(options);
  context.setDefaultTimeout(STEP_MS);
  await context.route('https://*.cybersource.com/**', (route) => route.abort());
  await context.route('**/api/checkout/**', (route) => route.abort());
  // The page's CSP (nonces, no inline style) holds for the form too.
  await context.addInitScript(
    `window.__violations = [];
     document.addEventListener('securitypolicyviolation', (e) =>
       window.__violations.push(e.violatedDirective + ' ' + e.blockedURI));`,
  );
  const page = await context.newPage();
  const asked: string[] = [];
  page.on('request', (r) => {
    asked.push(`${r.url()} ${r.headers().authorization ?? ''}`);
  });
  await page.goto(`${shop.demo.url}/`);
  return { context, page, asked };
}

const tokenField = (page: Page) => page.getByLabel('Admin token', { exact: true });
const fullRefund = (page: Page) => page.getByRole('button', { name: 'Refund $25.00 in full' });
const kept = (page: Page) => page.evaluate(() => JSON.stringify(sessionStorage));

it('the page carries no admin token; the shop works without it, and the panel asks for it', async () => {
  const { context, page, asked } = await visit({ bypassCSP: true });
  try {
    // The shopper's side: items to choose and their own (empty) lists.
    await page.getByRole('radio', { name: /^Project T-shirt/ }).waitFor();
    await expect
      .poll(() => page.locator('#saved-cards li').allTextContents())
      .toEqual(['No saved cards yet.']);
    expect(await page.content()).not.toContain(TOKEN);
    expect(await page.locator('meta[name="demo-admin-token"]').count()).toBe(0);
    // The merchant's side: a password field, and no table until a token is accepted.
    expect(await tokenField(page).getAttribute('type')).toBe('password');
    expect(await page.locator('#payments').isVisible()).toBe(false);
    expect(await fullRefund(page).count()).toBe(0);
    expect(asked.filter((a) => a.includes('/api/admin/'))).toEqual([]);
    expect(await kept(page)).toBe('{}');
    // The form is usable as the rest of the page (labels, names, contrast).
    await page.addScriptTag({ path: AXE });
    const violations = await page.evaluate(async () => {
      const { axe } = window as unknown as {
        axe: { run(c: unknown): Promise<{ violations: { id: string }[] }> };
      };
      return (await axe.run(document.querySelector('.merchant'))).violations.map((v) => v.id);
    });
    expect(violations).toEqual([]);
  } finally {
    await context.close();
  }
});

it('refuses a wrong admin token, saying the 401, and keeps it nowhere', async () => {
  const { context, page } = await visit();
  try {
    await tokenField(page).fill('not-the-admin-token-0123456789');
    await tokenField(page).press('Enter');
    const status = page.locator('#admin-token-status');
    await expect.poll(() => status.textContent()).toContain('HTTP 401');
    expect(await status.textContent()).toContain('not the ADMIN_TOKEN the demo runs with');
    expect(await tokenField(page).getAttribute('aria-invalid')).toBe('true');
    // Back in the field to type it again.
    expect(await tokenField(page).evaluate((i) => i === document.activeElement)).toBe(true);
    expect(await page.locator('#payments').isVisible()).toBe(false);
    expect(await fullRefund(page).count()).toBe(0);
    expect(await kept(page)).toBe('{}');
    // The shopper's side is untouched.
    expect(await page.locator('#saved-cards li').allTextContents()).toEqual([
      'No saved cards yet.',
    ]);
    expect(await page.evaluate('window.__violations')).toEqual([]);
  } finally {
    await context.close();
  }
});

it('opens the panel with the right token, in that tab only and across its reloads, until forgotten', async () => {
  const { context, page } = await visit();
  try {
    await tokenField(page).fill(TOKEN);
    await page.getByRole('button', { name: 'Open the panel' }).click();
    await fullRefund(page).waitFor();
    expect(await page.locator('#payments tr td').nth(1).textContent()).toContain(
      'Project T-shirt · Visa 1111',
    );
    expect(await page.locator('#merchant-status').textContent()).toBe(
      'Admin token accepted for this tab.',
    );
    expect(await tokenField(page).isVisible()).toBe(false);
    // Kept for this tab: a reload opens the panel without asking.
    await page.reload();
    await fullRefund(page).waitFor();
    expect(await tokenField(page).isVisible()).toBe(false);
    // Another tab asks again.
    const other = await context.newPage();
    await other.goto(`${shop.demo.url}/`);
    await tokenField(other).waitFor();
    await other.getByRole('radio', { name: /^Project T-shirt/ }).waitFor();
    expect(await fullRefund(other).count()).toBe(0);
    expect(await kept(other)).toBe('{}');
    // Forgotten: the table and the token go, the form is back.
    await page.getByRole('button', { name: 'Forget the admin token' }).click();
    await tokenField(page).waitFor();
    expect(await fullRefund(page).count()).toBe(0);
    expect(await kept(page)).toBe('{}');
    await page.reload();
    await tokenField(page).waitFor();
    await page.getByRole('radio', { name: /^Project T-shirt/ }).waitFor();
    expect(await fullRefund(page).count()).toBe(0);
    expect(await page.evaluate('window.__violations')).toEqual([]);
  } finally {
    await context.close();
  }
});

it('opens nothing and keeps nothing when the stub cannot check a typed token', async () => {
  const { context, page } = await visit();
  try {
    await context.route('**/api/admin/**', (route) =>
      route.fulfill({
        status: 500,
        contentType: 'application/json',
        body: '{"error":{"code":"internal_error","message":"Something went wrong."}}',
      }),
    );
    await tokenField(page).fill(TOKEN);
    await tokenField(page).press('Enter');
    const status = page.locator('#admin-token-status');
    await expect.poll(() => status.textContent()).toContain('Could not check the token (HTTP 500)');
    expect(await page.locator('#payments').isVisible()).toBe(false);
    expect(await page.locator('#merchant-status').textContent()).not.toContain('accepted');
    expect(await kept(page)).toBe('{}');
    // Typed again once the stub answers, it opens the panel.
    await context.unroute('**/api/admin/**');
    await tokenField(page).press('Enter');
    await fullRefund(page).waitFor();
  } finally {
    await context.close();
  }
});
