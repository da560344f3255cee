/**
 * Accessibility and card-data privacy of the demo with the widget mounted: a keyboard-only
 * checkout (Tab, Shift+Tab, typing into Microform's iframes, Enter and Space, visible focus),
 * axe-core in Chromium, and after a payment no card number or security code in the merchant
 * page's DOM, storage, cookies, console or requests to its server.
 */
import { createRequire } from 'node:module';
import type { ConsoleMessage, Page, Request } from 'playwright-core';
import { expect, it } from 'vitest';
import {
  chooseItem,
  MASTERCARD,
  newShopper,
  numberInput,
  payButton,
  type Shop,
  STEP_MS,
  securityCodeInput,
  shopForFile,
  successText,
  typeCard,
  VISA,
  waitForCheckout,
  widget,
} from './harness.ts';

const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

let shop: Shop;

shopForFile((opened) => {
  shop = opened;
});

/**
 * The focused control as a keyboard user meets it: its role-ish kind and its label. For
 * Microform's iframes, the field container it sits in.
 */
function focused(page: Page): Promise<string> {
  return page.evaluate(() => {
    const a = document.activeElement;
    if (a instanceof HTMLIFrameElement)
      return `frame ${a.closest('[data-cc-field]')?.getAttribute('data-cc-field')}`;
    if (a instanceof HTMLInputElement) return `${a.type} ${a.labels?.[0]?.textContent?.trim()}`;
    if (a instanceof HTMLSelectElement) return `select ${a.labels?.[0]?.textContent?.trim()}`;
    return `${a?.tagName.toLowerCase()} ${a?.getAttribute('aria-label') ?? a?.textContent?.trim()}`;
  });
}

/**
 * Whether the focus indicator is drawn: the focused control matches :focus-visible and has an
 * outline; for a Microform iframe, its field box has the outline (Microform marks the box).
 */
function focusRing(page: Page): Promise<{ visible: boolean; outline: string }> {
  return page.evaluate(() => {
    const a = document.activeElement;
    const box = a instanceof HTMLIFrameElement ? a.closest('[data-cc-field]') : a;
    if (!box) return { visible: false, outline: 'none' };
    const style = getComputedStyle(box);
    return {
      visible: box === a ? a.matches(':focus-visible') : true,
      outline: `${style.outlineStyle} ${style.outlineWidth}`,
    };
  });
}

/** Whether the Microform input inside the focused iframe has the keyboard focus. */
const inFrameFocus = (field: typeof numberInput) => (page: Page) =>
  field(page).evaluate((input) => document.hasFocus() && document.activeElement === input);

/** Presses a key and waits until focus shows on `stop` (leaving an iframe, it lands a moment later). */
async function moveTo(page: Page, stop: string, key = 'Tab'): Promise<void> {
  await page.keyboard.press(key);
  await expect.poll(() => focused(page), { timeout: STEP_MS }).toBe(stop);
}

const TAB_ORDER = [
  'radio Project T-shirt — $25.00',
  'select Checkout language',
  'frame number',
  'text Expiry (MM/YY)',
  'frame securityCode',
  'text Name on card',
  'email Email',
  'checkbox Save this card for next time',
  'button Pay $25.00',
];

it('checks out with the keyboard only, with a visible focus ring on every stop', async () => {
  const { context, page } = await newShopper(shop);
  try {
    await waitForCheckout(page, /Project T-shirt/);

    // Forward through every control of the shop and the checkout.
    for (const stop of TAB_ORDER) {
      await moveTo(page, stop);
      // An iframe's ring is Microform's class on its box, set when the frame reports its focus
      // (a message, a moment after the iframe became the active element): waited for.
      await expect
        .poll(async () => (await focusRing(page)).outline, { timeout: STEP_MS })
        .toMatch(/^solid [23]px$/);
      expect((await focusRing(page)).visible, `${stop} shows focus`).toBe(true);
    }
    // ...and back with Shift+Tab.
    for (const stop of TAB_ORDER.slice(0, -1).reverse()) await moveTo(page, stop, 'Shift+Tab');

    // Arrow keys choose another item; the donation's amount field follows in the tab order.
    await page.keyboard.press('ArrowDown');
    expect(await page.getByRole('radio', { name: /^Donation/ }).isChecked()).toBe(true);
    await page.keyboard.press('Tab');
    expect(await focused(page)).toBe('text Donation amount');
    expect((await focusRing(page)).visible).toBe(true);
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('ArrowUp');
    expect(await page.getByRole('radio', { name: /^Project T-shirt/ }).isChecked()).toBe(true);
    await waitForCheckout(page, /Project T-shirt/);

    // Type the card but leave the security code out, then press Pay with Space.
    await moveTo(page, 'select Checkout language');
    await moveTo(page, 'frame number');
    await expect.poll(() => inFrameFocus(numberInput)(page)).toBe(true);
    await page.keyboard.type('4111111111111111');
    await moveTo(page, 'text Expiry (MM/YY)');
    await page.keyboard.type('1231');
    expect(await widget(page).getByLabel('Expiry (MM/YY)').inputValue()).toBe('12/31');
    await moveTo(page, 'frame securityCode');
    await moveTo(page, 'text Name on card');
    await page.keyboard.type('Ada Lovelace');
    await moveTo(page, 'email Email');
    await page.keyboard.type('ada@example.com');
    await moveTo(page, 'checkbox Save this card for next time');
    await moveTo(page, 'button Pay $25.00');
    await page.keyboard.press('Space');
    // The missing security code is said, and focus goes into its iframe.
    await expect
      .poll(() => widget(page).getByRole('status').textContent(), { timeout: STEP_MS })
      .toBe('Please fix: Security code: Required.');
    await expect.poll(() => inFrameFocus(securityCodeInput)(page)).toBe(true);
    await page.keyboard.type('123');

    // Tick "save" with Space, go back to the email with Shift+Tab and submit with Enter.
    // Leaving the iframe, focus lands a moment after the key: wait for each move to show.
    for (const stop of [
      'text Name on card',
      'email Email',
      'checkbox Save this card for next time',
    ])
      await moveTo(page, stop);
    await page.keyboard.press('Space');
    expect(
      await widget(page)
        .getByRole('checkbox', { name: 'Save this card for next time' })
        .isChecked(),
    ).toBe(true);
    await moveTo(page, 'email Email', 'Shift+Tab');
    await page.keyboard.press('Enter');
    expect(await successText(page)).toBe('Payment successful. $25.00 paid with Visa ending 1111.');
    // Focus lands on the result, so a screen reader reads it and Tab continues from there.
    expect(await page.evaluate(() => document.activeElement?.className)).toBe('cc-done');
    await expect
      .poll(() => page.locator('#saved-cards').textContent(), { timeout: STEP_MS })
      .toContain('Visa •••• 1111');
  } finally {
    await context.close();
  }
});

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: unknown[]; failureSummary?: string }[];
}

/** axe-core in every frame, Microform's cross-origin iframes too (once: twice confuses it). */
async function injectAxe(page: Page): Promise<void> {
  for (const frame of page.frames()) {
    await frame.addScriptTag({ path: AXE });
    // The card fields are another origin: let axe talk to them.
    await frame.evaluate(() =>
      (window as unknown as { axe: { configure(o: unknown): void } }).axe.configure({
        allowedOrigins: ['<unsafe_all_origins>'],
      }),
    );
  }
}

/**
 * Whole-page rules: in a run scoped to one element they judge each iframe's document as if it
 * were the page (no <main>, no <h1>). The run on `document` checks them for real.
 */
const PAGE_RULES = ['landmark-one-main', 'page-has-heading-one', 'region'];

/** Runs axe from the top frame on `selector` (or the whole `document`), frames included. */
async function axe(page: Page, selector: string): Promise<string[]> {
  const violations = await page.evaluate(
    async ({ sel, pageRules }) => {
      const { run } = (
        window as unknown as { axe: { run(c: unknown, o: unknown): Promise<unknown> } }
      ).axe;
      const whole = sel === 'document';
      const rules = Object.fromEntries(pageRules.map((id) => [id, { enabled: whole }]));
      const result = (await run(whole ? document : document.querySelector(sel), { rules })) as {
        violations: AxeViolation[];
      };
      return result.violations;
    },
    { sel: selector, pageRules: PAGE_RULES },
  );
  return violations.map(
    (v) =>
      `${v.id} (${v.impact}): ${v.help} — ${v.nodes
        .map((n) => `${JSON.stringify(n.target)} ${n.failureSummary ?? ''}`)
        .join('; ')}`,
  );
}

it('has no axe violations in the widget or on the whole page', async () => {
  // The page's CSP (nonces) would refuse the injected axe script.
  const { context, page } = await newShopper(shop, undefined, { bypassCSP: true });
  try {
    await waitForCheckout(page, /Project T-shirt/);
    // The card frames are named in the checkout's language, and follow a change of it.
    const frameTitles = () =>
      widget(page)
        .locator('iframe')
        .evaluateAll((frames) => frames.map((f) => f.getAttribute('title')));
    expect(await frameTitles()).toEqual(['Card number', 'Security code']);
    await page.locator('#locale').selectOption('de');
    await expect
      .poll(frameTitles, { timeout: STEP_MS })
      .toEqual(['Kartennummer', 'Sicherheitscode']);
    await page.locator('#locale').selectOption('en');
    await expect.poll(frameTitles, { timeout: STEP_MS }).toEqual(['Card number', 'Security code']);
    await injectAxe(page);
    expect(await axe(page, '#checkout')).toEqual([]);
    expect(await axe(page, 'document')).toEqual([]);

    // With inline errors: Pay on an empty form.
    await payButton(page).click();
    await expect
      .poll(() => widget(page).locator('[aria-invalid=true]').count(), { timeout: STEP_MS })
      .toBeGreaterThan(0);
    expect(await axe(page, 'document')).toEqual([]);

    // A returning shopper: saved cards in the widget and on the page, payments in the panel.
    await typeCard(page, { number: VISA.number });
    await widget(page).getByRole('checkbox', { name: 'Save this card for next time' }).check();
    await payButton(page).click();
    await successText(page);
    await page.reload();
    await waitForCheckout(page, /Project T-shirt/);
    await page.getByRole('button', { name: 'Refund $25.00 in full' }).first().waitFor();
    await injectAxe(page);
    expect(await axe(page, '#checkout')).toEqual([]);
    expect(await axe(page, 'document')).toEqual([]);

    // A subscription on a second card: the shopper's list offers the card change.
    await chooseItem(page, 'Pro plan');
    await waitForCheckout(page, /Pro plan/);
    await widget(page).getByRole('radio', { name: 'A new card' }).check();
    await typeCard(page, { number: MASTERCARD.number, expiry: '11/30' });
    await payButton(page).click();
    await successText(page);
    await page.reload();
    await waitForCheckout(page, /Pro plan|Project T-shirt/);
    await page.getByLabel('Card for Pro plan', { exact: true }).waitFor({ timeout: STEP_MS });
    await injectAxe(page);
    expect(await axe(page, 'document')).toEqual([]);
  } finally {
    await context.close();
  }
  // Six axe runs over a shopper's checkout, its states and pages (19 s when the machine is
  // quiet): a hang guard sized for a slow shared one, where it passed the default 30 s only
  // sometimes.
}, 90_000);

// Not one of the test cards the page prints for the shopper: a Luhn-valid Visa the emulator
// approves, and a security code that is no part of it.
const CARD = '4242424242424242';
const SECURITY_CODE = '739';
const SECRETS = [CARD, '4242 4242 4242 4242', '4242-4242-4242-4242'];

it('keeps the card number and security code out of the page, storage, console and requests', async () => {
  const sent: string[] = [];
  const consoleLines: string[] = [];
  const { context, page } = await newShopper(shop, (p) => {
    p.on('request', (r: Request) => {
      if (new URL(r.url()).origin !== shop.demo.url) return;
      sent.push(`${r.method()} ${r.url()}\n${JSON.stringify(r.headers())}\n${r.postData() ?? ''}`);
    });
    p.on('console', (m: ConsoleMessage) => consoleLines.push(m.text()));
    p.on('pageerror', (e) => consoleLines.push(`${e.message}\n${e.stack ?? ''}`));
  });
  try {
    await chooseItem(page, 'Project T-shirt');
    await waitForCheckout(page, /Project T-shirt/);
    await typeCard(page, { number: CARD, securityCode: SECURITY_CODE });
    await widget(page).getByRole('checkbox', { name: 'Save this card for next time' }).check();
    await payButton(page).click();
    expect(await successText(page)).toContain('Visa ending 4242');
    await expect
      .poll(() => page.locator('#saved-cards').textContent(), { timeout: STEP_MS })
      .toContain('4242');

    // The merchant page (top frame): DOM, input values (not in outerHTML), storage, cookies.
    const top = await page.evaluate(() => {
      const values = [...document.querySelectorAll('input')].map((i) => i.value);
      const store = (s: Storage) => Object.keys(s).map((k) => `${k}=${s.getItem(k) ?? ''}`);
      return {
        html: document.documentElement.outerHTML,
        values,
        local: store(localStorage),
        session: store(sessionStorage),
        cookie: document.cookie,
      };
    });
    const cookies = (await context.cookies()).map((c) => `${c.name}=${c.value}`);
    // The requests that carried the payment are among those inspected.
    expect(sent.some((s) => s.startsWith('POST') && s.includes('/api/checkout/payments'))).toBe(
      true,
    );
    expect(sent.some((s) => s.includes('transientToken'))).toBe(true);

    const places: Record<string, string> = {
      'page DOM': top.html,
      'input values': top.values.join('\n'),
      localStorage: top.local.join('\n'),
      sessionStorage: top.session.join('\n'),
      cookies: `${top.cookie}\n${cookies.join('\n')}`,
      console: consoleLines.join('\n'),
      'requests to the stub': sent.join('\n\n'),
    };
    for (const [where, text] of Object.entries(places)) {
      for (const secret of SECRETS) expect(text, `card number in ${where}`).not.toContain(secret);
      expect(text, `security code in ${where}`).not.toMatch(new RegExp(`\\b${SECURITY_CODE}\\b`));
    }
  } finally {
    await context.close();
  }
});
