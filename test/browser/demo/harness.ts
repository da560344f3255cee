/**
 * Test harness for the demo in real Chromium: one demo (emulator + stub + page) and one browser
 * per test file, a fresh browser context per shopper, and the steps a shopper or a merchant
 * takes on the page, written with what they see (roles, labels, text).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type {
  Browser,
  BrowserContext,
  BrowserContextOptions,
  Locator,
  Page,
} from 'playwright-core';
import { afterAll, beforeAll, expect, vi } from 'vitest';
import { type Demo, launchDemo } from '../../../demo/launch.ts';
import { ensureWidget } from '../../../widget/build/build.ts';
import { launchChromium } from '../../helpers/browser.ts';
import { testKeys } from '../../helpers/test-keys.ts';

export const VISA = { number: '4111111111111111', spaced: '4111 1111 1111 1111', last4: '1111' };
export const MASTERCARD = {
  number: '5555555555554444',
  spaced: '5555 5555 5555 4444',
  last4: '4444',
};

export interface Card {
  number: string;
  securityCode?: string;
  expiry?: string;
  name?: string;
  email?: string;
}

/** How long a step a shopper waits for may take (a payment is a few round trips). */
export const STEP_MS = 15_000;

/**
 * How long one shopper's story may take: a handful of steps, each bounded by STEP_MS (the
 * context's default timeout, so a step that cannot happen fails naming what it waited for).
 * About 5 s on a quiet machine; on CI's two busy cores one took past the 30 s every other test
 * gets, with every step passing.
 */
const STORY_MS = 90_000;
// Each test file imports this harness once: its tests get STORY_MS. Only under Vitest: the
// benchmarks (bench/widget-ready.ts) drive the demo with these steps too.
if (process.env.VITEST) vi.setConfig({ testTimeout: STORY_MS });

export interface Shop {
  demo: Demo;
  browser: Browser;
  close(): Promise<void>;
}

/** A fresh demo (free ports, its own embedded database, no rate limits) and a browser. */
/** Opens the shop once for the test file and closes it after; `take` receives it. */
export function shopForFile(take: (shop: Shop) => void): void {
  let opened: Shop | undefined;
  beforeAll(async () => {
    opened = await openShop();
    take(opened);
  });
  afterAll(async () => {
    await opened?.close();
  });
}

/** `env`: settings beside the test ones (`CHECKOUT_ALLOWED_SITES` for a merchant page of its own). */
export async function openShop(env: Record<string, string> = {}): Promise<Shop> {
  const dataDir = await mkdtemp(join(tmpdir(), 'demo-browser-'));
  const [demo, browser] = await Promise.all([
    ensureWidget().then(() =>
      launchDemo({
        buildWidget: false,
        emulatorKeys: testKeys(),
        env: {
          PORT: '0',
          EMULATOR_PORT: '0',
          DATA_DIR: dataDir,
          RATE_LIMIT_DISABLED: 'true',
          LOG_LEVEL: 'warn',
          ...env,
        },
      }),
    ),
    launchChromium(),
  ]);
  return {
    demo,
    browser,
    async close() {
      await Promise.all([browser.close(), demo.close()]);
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

export interface Shopper {
  context: BrowserContext;
  page: Page;
}

/** A new shopper: a fresh browser context (no cookie, so no saved cards), on the demo page. */
export async function newShopper(
  shop: Shop,
  instrument?: (page: Page, context: BrowserContext) => void,
  options: BrowserContextOptions = {},
): Promise<Shopper> {
  const context = await shop.browser.newContext(options);
  // A step that cannot happen fails naming what it waited for, not as the test's timeout.
  context.setDefaultTimeout(STEP_MS);
  const page = await context.newPage();
  instrument?.(page, context);
  await page.goto(`${shop.demo.url}/`);
  return { context, page };
}

export const widget = (page: Page): Locator => page.locator('#checkout');
export const payButton = (page: Page): Locator =>
  widget(page).getByRole('button', { name: /^(Pay|Processing)/ });
export const numberInput = (page: Page): Locator =>
  page.frameLocator('[data-cc-field=number] iframe').locator('input[name=number]');
export const securityCodeInput = (page: Page): Locator =>
  page.frameLocator('[data-cc-field=securityCode] iframe').locator('input[name=securityCode]');

/** Picks an item by the start of its radio label ("Project T-shirt", "Pro plan", "Donation"). */
export async function chooseItem(page: Page, name: string): Promise<void> {
  await page.getByRole('radio', { name: new RegExp(`^${name}`) }).check();
}

/** Waits until the widget shows `item` and its card fields have loaded (Pay is enabled). */
export async function waitForCheckout(page: Page, item: string | RegExp): Promise<void> {
  await expect
    .poll(() => widget(page).locator('.cc-item').textContent(), { timeout: STEP_MS })
    .toMatch(item);
  await payButton(page).and(page.locator(':enabled')).waitFor({ timeout: STEP_MS });
  // Attached, not visible: with a saved card chosen the new-card fields are hidden.
  await numberInput(page).waitFor({ state: 'attached', timeout: STEP_MS });
}

/** Types a new card the way a shopper does: into Microform's iframes and our own inputs. */
export async function typeCard(page: Page, card: Card): Promise<void> {
  const w = widget(page);
  await numberInput(page).pressSequentially(card.number);
  await securityCodeInput(page).pressSequentially(card.securityCode ?? '123');
  await w.getByLabel('Expiry (MM/YY)').fill(card.expiry ?? '12/31');
  await w.getByLabel('Name on card').fill(card.name ?? 'Ada Lovelace');
  await w.getByLabel('Email').fill(card.email ?? 'ada@example.com');
}

/** The widget's success line ("Payment successful. $25.00 paid with Visa ending 1111."). */
export async function successText(page: Page): Promise<string> {
  const done = widget(page).locator('.cc-done');
  await done.waitFor({ timeout: STEP_MS });
  return (await done.textContent()) ?? '';
}

/** The merchant panel's payment rows, newest first, as the merchant reads them. */
export async function paymentRows(page: Page): Promise<string[][]> {
  return page
    .locator('#payments tr')
    .evaluateAll((rows) =>
      rows.map((r) => [...r.querySelectorAll('td')].map((td) => td.textContent ?? '')),
    );
}

/** The page's own list of saved cards. */
export function savedCardsList(page: Page): Promise<string[]> {
  return page.locator('#saved-cards li').allTextContents();
}

/**
 * The widget's saved cards as a shopper hears them: each radio's label (the brand mark is
 * aria-hidden beside the brand's name), then "default" when the card carries the Default tag.
 */
export function widgetSavedCards(page: Page): Promise<string[]> {
  return widget(page)
    .locator('.cc-method')
    .evaluateAll((rows) =>
      rows.map((row) => {
        const label = row.querySelector('label');
        const words = [...(label?.childNodes ?? [])]
          .filter((n) => !(n instanceof Element && n.getAttribute('aria-hidden') === 'true'))
          // No-break spaces ("expires 12/31" is kept on one line) read as spaces.
          .map((n) => n.textContent?.replace(/\s+/g, ' ').trim())
          .filter(Boolean);
        const tag = row.querySelector(':scope > .cc-tag')?.textContent === 'Default';
        return `${words.join(' ')}${tag ? ' (default)' : ''}`;
      }),
    );
}

/** Types the donation amount on the merchant page; it reaches the widget on `change`. */
export async function setDonation(page: Page, amount: string): Promise<void> {
  const input = page.getByLabel('Donation amount');
  await input.fill(amount);
  await input.dispatchEvent('change');
}
