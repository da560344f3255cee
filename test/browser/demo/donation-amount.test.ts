/**
 * The demo's donation amount, as a shopper types it: read in the checkout's language (grouping
 * included), checked against the item's bounds before the widget hears of it, and never left
 * showing (and charging) the amount typed before when the new one cannot be read.
 */
import { expect, it } from 'vitest';
import {
  chooseItem,
  newShopper,
  payButton,
  type Shop,
  STEP_MS,
  setDonation,
  shopForFile,
  waitForCheckout,
  widget,
} from './harness.ts';

let shop: Shop;
shopForFile((opened) => {
  shop = opened;
});

it('reads grouped amounts in the language, and holds the checkout for one it cannot read', async () => {
  const { context, page } = await newShopper(shop);
  try {
    await chooseItem(page, 'Donation');
    await waitForCheckout(page, /Donation/);
    const input = page.getByLabel('Donation amount');
    const hint = page.locator('#custom-amount-hint');

    await setDonation(page, '1,234.56');
    await expect
      .poll(() => payButton(page).textContent(), { timeout: STEP_MS })
      .toBe('Pay $1,234.56');

    // English "12.345" is neither 12.34 nor 12345: said, and no Pay button for the old amount.
    await setDonation(page, '12.345');
    await expect
      .poll(() => hint.textContent())
      .toBe('Enter an amount like 12.50, from $5.00 to $5,000.00.');
    expect(await input.getAttribute('aria-invalid')).toBe('true');
    expect(await page.locator('#checkout-hold').isVisible()).toBe(true);
    expect(await widget(page).isVisible()).toBe(false);
    expect(await payButton(page).count()).toBe(0);

    // Below the minimum: the same, in the merchant page's words (never the widget's option error).
    await setDonation(page, '4.99');
    await expect.poll(() => hint.textContent()).toBe('Enter an amount from $5.00 to $5,000.00.');
    expect(await payButton(page).count()).toBe(0);

    // Spanish: "1,500" is neither 1.50 nor 1500, so it is refused; "1.500" is 1500.
    await page.getByLabel('Checkout language').selectOption('es');
    await setDonation(page, '1,500');
    await expect
      .poll(() => hint.textContent())
      .toBe('Enter an amount like 12,50, from $5.00 to $5,000.00.');
    await setDonation(page, '1.500');
    await expect
      .poll(() => widget(page).locator('button.cc-pay').textContent(), { timeout: STEP_MS })
      .toMatch(/^Pagar 1500,00\sUS\$$/);

    // German grouping and decimals, once the checkout speaks German.
    await page.getByLabel('Checkout language').selectOption('de');
    await setDonation(page, '1.234,56');
    await expect
      .poll(() => widget(page).locator('button.cc-pay').textContent(), { timeout: STEP_MS })
      .toMatch(/^Jetzt 1\.234,56\s\$ bezahlen$/);
    expect(await input.getAttribute('aria-invalid')).toBe('false');
    expect(await hint.textContent()).toBe('$5.00 to $5,000.00');
  } finally {
    await context.close();
  }
});

it('keeps the donation when the checkout language changes, written the new way', async () => {
  const { context, page } = await newShopper(shop);
  try {
    await chooseItem(page, 'Donation');
    await waitForCheckout(page, /Donation/);
    const input = page.getByLabel('Donation amount');
    expect(await input.inputValue()).toBe('10.00');
    await page.getByLabel('Checkout language').selectOption('fr');
    // Not read as "1000" or refused: the same 10.00, as French writes it, and the checkout stays.
    await expect.poll(() => input.inputValue()).toBe('10,00');
    await expect
      .poll(() => widget(page).locator('button.cc-pay').textContent(), { timeout: STEP_MS })
      .toMatch(/^Payer 10,00\s\$US$/);
    expect(await page.locator('#custom-amount-hint').textContent()).toBe('$5.00 to $5,000.00');
    // Typed with a point, as many French keyboards' number pads write it: still 12.50.
    await setDonation(page, '12.50');
    await expect
      .poll(() => widget(page).locator('button.cc-pay').textContent(), { timeout: STEP_MS })
      .toMatch(/^Payer 12,50\s\$US$/);
  } finally {
    await context.close();
  }
});

it('moves from a donation to a fixed-price item without carrying the amount over', async () => {
  const { context, page } = await newShopper(shop);
  try {
    await chooseItem(page, 'Donation');
    await waitForCheckout(page, /Donation/);
    await setDonation(page, '42.00');
    await expect.poll(() => payButton(page).textContent(), { timeout: STEP_MS }).toBe('Pay $42.00');
    // The widget refuses an amount on a fixed-price item (the stub would charge the catalog's
    // price whatever the page said), so the page must name the amount away when it moves on.
    await chooseItem(page, 'Project T-shirt');
    await waitForCheckout(page, /T-shirt/);
    await expect.poll(() => payButton(page).textContent(), { timeout: STEP_MS }).toBe('Pay $25.00');
    expect(await widget(page).locator('[role=alert]').count()).toBe(0);
  } finally {
    await context.close();
  }
});
