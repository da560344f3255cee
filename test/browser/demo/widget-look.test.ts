/**
 * How the widget looks in Chromium, read from the pixels: the Microform iframes stay transparent
 * in the dark theme (no white box with near-white text), the pay button's focus ring shows on a
 * plain page, a merchant's accent reaches the pay button and the checkbox, and a two-line German
 * label keeps expiry and security code on one line.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ROOT } from '../../../widget/build/build.ts';
import {
  chooseItem,
  newShopper,
  numberInput,
  openShop,
  payButton,
  type Shop,
  STEP_MS,
  waitForCheckout,
  widget,
} from './harness.ts';

let shop: Shop;
const SHOTS = join(ROOT, 'dist/test-shots');

beforeAll(async () => {
  shop = await openShop();
  await mkdir(SHOTS, { recursive: true });
});
afterAll(async () => {
  await shop?.close();
});

/** Mean [r, g, b] of a screenshot of `clip` (page pixels), decoded by the page's own canvas. */
async function meanColour(
  page: Page,
  clip: { x: number; y: number; width: number; height: number },
  name: string,
): Promise<number[]> {
  const png = await page.screenshot({ clip });
  await writeFile(join(SHOTS, `${name}.png`), png);
  return page.evaluate(async (b64) => {
    const img = new Image();
    img.src = `data:image/png;base64,${b64}`;
    await img.decode();
    const c = document.createElement('canvas');
    c.width = img.width;
    c.height = img.height;
    const g = c.getContext('2d') as CanvasRenderingContext2D;
    g.drawImage(img, 0, 0);
    const d = g.getImageData(0, 0, c.width, c.height).data;
    let [r, g2, b] = [0, 0, 0];
    for (let i = 0; i < d.length; i += 4) {
      r += d[i] as number;
      g2 += d[i + 1] as number;
      b += d[i + 2] as number;
    }
    const n = d.length / 4;
    return [r / n, g2 / n, b / n];
  }, png.toString('base64'));
}

const box = async (l: Locator) => {
  const b = await l.boundingBox();
  if (!b) throw new Error('not visible');
  return b;
};

it('dark theme: the card number iframe is transparent over the dark background, not white', async () => {
  const { context, page } = await newShopper(shop, undefined, { colorScheme: 'dark' });
  try {
    await chooseItem(page, 'Project T-shirt');
    await waitForCheckout(page, /Project T-shirt/);
    const frame = page.locator('[data-cc-field=number] iframe');
    expect(await frame.evaluate((e) => getComputedStyle(e).colorScheme)).toBe('light');
    const f = await box(frame);
    // The right third of the field: no placeholder text there, only what is behind it.
    const inside = await meanColour(
      page,
      { x: f.x + f.width * 0.66, y: f.y + 4, width: f.width * 0.3, height: f.height - 8 },
      'dark-number-field',
    );
    await meanColour(page, await box(widget(page)), 'dark-widget');
    // The dark theme's background (#161b22); an opaque iframe would be white (255).
    for (const c of inside) expect(c).toBeLessThan(60);
  } finally {
    await context.close();
  }
});

it('the OS turning dark mid-checkout restyles the card fields: their text and placeholder follow the theme', async () => {
  const { context, page } = await newShopper(shop, undefined, { colorScheme: 'light' });
  try {
    await chooseItem(page, 'Project T-shirt');
    await waitForCheckout(page, /Project T-shirt/);
    const input = numberInput(page);
    const colours = () =>
      input.evaluate((e) => [
        getComputedStyle(e).color,
        getComputedStyle(e, '::placeholder').color,
      ]);
    // --cc-fg and --cc-muted of widget.css, light then dark.
    expect(await colours()).toEqual(['rgb(31, 35, 40)', 'rgb(89, 99, 110)']);
    await page.emulateMedia({ colorScheme: 'dark' });
    await expect
      .poll(colours, { timeout: STEP_MS })
      .toEqual(['rgb(230, 237, 243)', 'rgb(145, 152, 161)']);
  } finally {
    await context.close();
  }
});

it('the pay button’s focus ring is drawn off the button, visible on a plain page', async () => {
  const { context, page } = await newShopper(shop, undefined, { colorScheme: 'light' });
  try {
    await chooseItem(page, 'Project T-shirt');
    await waitForCheckout(page, /Project T-shirt/);
    // A plain page: the demo's own stylesheet sets an outline offset of its own on buttons.
    await page.evaluate(() => {
      for (const l of document.querySelectorAll('link[rel=stylesheet]')) l.remove();
    });
    await widget(page).locator('input[type=checkbox]').focus();
    await page.keyboard.press('Tab');
    await expect
      .poll(() => payButton(page).evaluate((e) => e === document.activeElement))
      .toBe(true);
    const b = await box(payButton(page));
    await meanColour(
      page,
      { x: b.x - 10, y: b.y - 10, width: b.width + 20, height: b.height + 20 },
      'pay-focused',
    );
    // Right above the button, the page (white) separates it from the ring: a ring touching the
    // accent-coloured button would only make it look 3 px bigger.
    const gap = await meanColour(
      page,
      { x: b.x + 20, y: b.y - 1.5, width: b.width - 40, height: 1 },
      'gap',
    );
    for (const c of gap) expect(c).toBeGreaterThan(200);
    // 3 to 4 px above it: the ring, in the accent (#0a58ca).
    const [r, g, bl] = await meanColour(
      page,
      { x: b.x + 20, y: b.y - 4, width: b.width - 40, height: 1 },
      'ring',
    );
    expect(bl).toBeGreaterThan(150);
    expect(r).toBeLessThan(80);
    expect(g).toBeLessThan(130);
  } finally {
    await context.close();
  }
});

it('a merchant’s accent, set as the README says, colours the pay button and the checkbox', async () => {
  const { context, page } = await newShopper(shop, undefined, { colorScheme: 'light' });
  try {
    await chooseItem(page, 'Project T-shirt');
    await waitForCheckout(page, /Project T-shirt/);
    // widget/README.md "Theming": a selector more specific than `.cc`, wherever the sheet is.
    // The demo page runs under a strict CSP: the merchant's sheet carries the page's nonce.
    await page.evaluate(() => {
      const style = document.createElement('style');
      style.nonce = document.querySelector<HTMLElement>('[nonce]')?.nonce ?? '';
      style.textContent = 'body .cc { --cc-accent: rgb(200, 0, 0); }';
      document.head.prepend(style);
    });
    expect(await payButton(page).evaluate((e) => getComputedStyle(e).backgroundColor)).toBe(
      'rgb(200, 0, 0)',
    );
    const checkbox = widget(page).locator('input[type=checkbox]');
    expect(await checkbox.evaluate((e) => getComputedStyle(e).accentColor)).toBe('rgb(200, 0, 0)');
  } finally {
    await context.close();
  }
});

/** A 360 px wide shopper at the T-shirt's checkout, switched to `locale`. */
async function narrowCheckout(locale: string) {
  const shopper = await newShopper(shop, undefined, { viewport: { width: 360, height: 800 } });
  await chooseItem(shopper.page, 'Project T-shirt');
  await waitForCheckout(shopper.page, /Project T-shirt/);
  await shopper.page.getByLabel('Checkout language').selectOption(locale);
  return shopper;
}

it("the demo page and the widget run under the page's CSP without one violation", async () => {
  const { context, page } = await newShopper(shop, (p) =>
    p.addInitScript(
      `window.__violations = [];
       document.addEventListener('securitypolicyviolation', (e) =>
         window.__violations.push(e.violatedDirective + ' ' + e.blockedURI + ' ' + e.sourceFile));`,
    ),
  );
  try {
    await chooseItem(page, 'Project T-shirt');
    await waitForCheckout(page, /Project T-shirt/);
    // The panels have drawn (parsed with zod) and the widget has loaded Microform.
    await page.locator('#payments').waitFor({ state: 'attached', timeout: STEP_MS });
    await page.getByLabel('Checkout language').selectOption('fr');
    await expect.poll(() => numberInput(page).getAttribute('aria-label')).toBe('Numéro de carte');
    expect(await page.evaluate('window.__violations')).toEqual([]);
  } finally {
    await context.close();
  }
});

it('switching languages keeps the checkout session and relabels the Microform fields', async () => {
  const { context, page } = await newShopper(shop);
  try {
    const emulator = shop.demo.emulator;
    if (!emulator) throw new Error('the demo runs on the emulator');
    await chooseItem(page, 'Project T-shirt');
    await waitForCheckout(page, /Project T-shirt/);
    const sessions = () =>
      emulator.state.requests
        .list()
        .filter((r) => r.method === 'POST' && r.path === '/microform/v2/sessions').length;
    const before = sessions();
    // More switches than the 10 sessions per 10 minutes a shopper is allowed.
    const labels = { fr: 'Numéro de carte', es: 'Número de tarjeta', de: 'Kartennummer' };
    for (let round = 0; round < 4; round++) {
      for (const [locale, label] of Object.entries(labels)) {
        await page.getByLabel('Checkout language').selectOption(locale);
        await expect.poll(() => numberInput(page).getAttribute('aria-label')).toBe(label);
      }
    }
    expect(sessions()).toBe(before);
    // Still a working checkout: the card goes in under the German labels.
    await numberInput(page).pressSequentially('4111111111111111');
  } finally {
    await context.close();
  }
});

it('a first digit matching 8 networks: their marks wrap below the number box, never squeeze it or widen a 320 px page', async () => {
  const { context, page } = await newShopper(shop, undefined, {
    viewport: { width: 320, height: 800 },
  });
  try {
    await chooseItem(page, 'Project T-shirt');
    await waitForCheckout(page, /Project T-shirt/);
    await numberInput(page).pressSequentially('5');
    await expect
      .poll(() => widget(page).locator('.cc-frame .cc-brand').count(), { timeout: STEP_MS })
      .toBeGreaterThan(4);
    const number = await box(widget(page).locator('[data-cc-field=number]'));
    // 11rem at least, room for "1234 1234 1234 1234" (it was squeezed to 21 px).
    expect(number.width).toBeGreaterThanOrEqual(176);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
      320,
    );
  } finally {
    await context.close();
  }
});

it('in forced colours (Windows high contrast) the pay button keeps a visible border', async () => {
  const { context, page } = await newShopper(shop, undefined, { forcedColors: 'active' });
  try {
    await chooseItem(page, 'Project T-shirt');
    await waitForCheckout(page, /Project T-shirt/);
    // Forced colours drop the button's background: without a border it read as plain text.
    const border = await payButton(page).evaluate((b) => {
      const s = getComputedStyle(b);
      return [s.borderTopStyle, s.borderTopWidth, s.borderTopColor];
    });
    expect(border.slice(0, 2)).toEqual(['solid', '2px']);
    expect(border[2]).not.toBe('rgba(0, 0, 0, 0)');
  } finally {
    await context.close();
  }
});

it('German on a narrow screen: expiry and security code fields stay level', async () => {
  const { context, page } = await narrowCheckout('de');
  try {
    const expiry = widget(page).getByLabel('Ablaufdatum (MM/JJ)');
    await expiry.waitFor({ timeout: STEP_MS });
    const label = await box(widget(page).locator('label', { hasText: 'Ablaufdatum' }));
    await meanColour(page, await box(widget(page).locator('.cc-row')), 'de-narrow-row');
    // The label wraps here, two lines of 24 px (the test is about that case) …
    expect(label.height).toBeGreaterThan(40);
    // … and the two inputs still share a top and a bottom.
    const e = await box(expiry);
    const c = await box(widget(page).locator('[data-cc-field=securityCode]'));
    expect(Math.abs(e.y - c.y)).toBeLessThan(1);
    expect(Math.abs(e.y + e.height - (c.y + c.height))).toBeLessThan(1);
    // An error under one of them only (expiry, judged on leaving it) changes nothing.
    await expiry.fill('13/30');
    await widget(page).getByLabel('Name auf der Karte').focus();
    await widget(page)
      .locator('.cc-error', { hasText: 'Format MM/JJ.' })
      .waitFor({ timeout: STEP_MS });
    await meanColour(page, await box(widget(page).locator('.cc-row')), 'de-narrow-row-error');
    const e2 = await box(expiry);
    const c2 = await box(widget(page).locator('[data-cc-field=securityCode]'));
    expect(Math.abs(e2.y - c2.y)).toBeLessThan(1);
    // The placeholder speaks German too.
    expect(await expiry.getAttribute('placeholder')).toBe('MM/JJ');
  } finally {
    await context.close();
  }
});

it('Spanish on a narrow screen: the "save this card" checkbox stays beside its text', async () => {
  const { context, page } = await narrowCheckout('es');
  try {
    const save = widget(page).getByRole('checkbox', { name: /^Guardar esta tarjeta/ });
    await save.waitFor({ timeout: STEP_MS });
    const label = save.locator('xpath=..');
    await meanColour(page, await box(label), 'es-narrow-save');
    // The text is longer than a line beside the box: it wraps in its own column, the box to
    // its left (it used to drop to a line of its own below the checkbox).
    const b = await box(label);
    const c = await box(save);
    expect(b.height).toBeGreaterThan(40);
    const text = await label.evaluate((l) => {
      const r = document.createRange();
      r.selectNodeContents(l.lastChild as Node);
      const first = r.getClientRects()[0];
      return { x: first?.x ?? 0, y: first?.y ?? 0 };
    });
    expect(text.x).toBeGreaterThan(c.x + c.width);
    expect(text.y).toBeLessThan(c.y + c.height);
  } finally {
    await context.close();
  }
});
