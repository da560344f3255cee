/**
 * A returning shopper manages saved cards in the widget (two saved, the other made the default,
 * one removed after a confirmation; the page's list and the widget agree), the merchant refunds
 * from the panel (partial, then the rest, never more than was paid), and a shopper whose card is
 * declined reads why and pays on the next try.
 */
import type { Locator, Page } from 'playwright-core';
import { expect, it } from 'vitest';
import {
  type Card,
  chooseItem,
  MASTERCARD,
  newShopper,
  payButton,
  type Shop,
  STEP_MS,
  savedCardsList,
  securityCodeInput,
  setDonation,
  shopForFile,
  successText,
  typeCard,
  VISA,
  waitForCheckout,
  widget,
  widgetSavedCards,
} from './harness.ts';

let shop: Shop;

shopForFile((opened) => {
  shop = opened;
});

/** Buys the T-shirt with a new card, saving it, and comes back to a fresh checkout. */
async function buyAndSave(page: Page, card: Card): Promise<void> {
  await waitForCheckout(page, /Project T-shirt/);
  const newCard = widget(page).getByRole('radio', { name: 'A new card' });
  if (await newCard.count()) await newCard.check();
  await typeCard(page, card);
  await widget(page).getByRole('checkbox', { name: 'Save this card for next time' }).check();
  await payButton(page).click();
  await successText(page);
  await page.reload();
}

/** A returning shopper with a Visa 1111 (12/31) and, saved last, a Mastercard 4444 (11/30). */
async function twoSavedCards(page: Page): Promise<void> {
  await chooseItem(page, 'Project T-shirt');
  await buyAndSave(page, { number: VISA.number, expiry: '12/31' });
  await buyAndSave(page, { number: MASTERCARD.number, expiry: '11/30' });
  await waitForCheckout(page, /Project T-shirt/);
}

const announcement = (page: Page) => widget(page).getByRole('status').textContent();

it('German saved cards fit a 320 px screen: the expiry wraps under the name, the page never scrolls sideways', async () => {
  const { context, page } = await newShopper(shop, undefined, {
    viewport: { width: 320, height: 900 },
  });
  try {
    await twoSavedCards(page);
    await page.getByLabel('Checkout language').selectOption('de');
    await expect
      .poll(() => widget(page).locator('.cc-saved legend').textContent(), { timeout: STEP_MS })
      .toBe('Bezahlen mit');
    // "gültig bis 11/30" cannot break: beside the name it pushed each row to 313 px.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
      320,
    );
    const checkout = await widget(page).evaluate((el) => [el.scrollWidth, el.clientWidth]);
    expect(checkout[0]).toBeLessThanOrEqual(checkout[1] as number);
  } finally {
    await context.close();
  }
});

it('saves two cards, makes the first the default again and removes the second after confirming', async () => {
  const { context, page } = await newShopper(shop);
  try {
    await twoSavedCards(page);
    // The card saved last is the default, and comes first.
    expect(await widgetSavedCards(page)).toEqual([
      'Mastercard ending 4444 expires 11/30 (default)',
      'Visa ending 1111 expires 12/31',
    ]);
    await expect
      .poll(() => savedCardsList(page), { timeout: STEP_MS })
      .toEqual(['Mastercard •••• 4444  11/2030  (default)', 'Visa •••• 1111  12/2031']);

    await widget(page).getByRole('button', { name: 'Make default: Visa ending 1111' }).click();
    await expect.poll(() => announcement(page)).toBe('Default card updated.');
    expect(await widgetSavedCards(page)).toEqual([
      'Mastercard ending 4444 expires 11/30',
      'Visa ending 1111 expires 12/31 (default)',
    ]);
    // The page's own list follows the widget without a reload (its change event).
    await expect
      .poll(() => savedCardsList(page), { timeout: STEP_MS })
      .toEqual(['Visa •••• 1111  12/2031  (default)', 'Mastercard •••• 4444  11/2030']);

    // Remove asks first; Cancel keeps the card.
    const remove = widget(page).getByRole('button', { name: 'Remove: Mastercard ending 4444' });
    const question = widget(page).getByText('Remove card ending 4444?');
    await remove.click();
    expect(await question.isVisible()).toBe(true);
    await widget(page).getByRole('button', { name: 'Cancel' }).click();
    expect(await question.count()).toBe(0);
    expect(await widgetSavedCards(page)).toHaveLength(2);

    await remove.click();
    // The confirm button is named with the card, like the Remove button it replaces, and
    // described by the question.
    const confirm = widget(page).locator('[data-cc-confirm]');
    expect(await confirm.getAttribute('aria-label')).toBe('Remove: Mastercard ending 4444');
    // Escape cancels, back to the card's Remove button.
    await expect.poll(() => confirm.evaluate((b) => b === document.activeElement)).toBe(true);
    await page.keyboard.press('Escape');
    expect(await question.count()).toBe(0);
    await expect.poll(() => remove.evaluate((b) => b === document.activeElement)).toBe(true);
    await remove.click();
    // The confirmation takes focus, so a keyboard user confirms with Enter.
    await expect.poll(() => confirm.evaluate((b) => b === document.activeElement)).toBe(true);
    await confirm.press('Enter');
    await expect.poll(() => announcement(page)).toBe('Card removed.');
    expect(await widgetSavedCards(page)).toEqual(['Visa ending 1111 expires 12/31 (default)']);
    await expect
      .poll(() => savedCardsList(page), { timeout: STEP_MS })
      .toEqual(['Visa •••• 1111  12/2031  (default)']);

    // After a reload the page's list and the widget say the same: one Visa, the default.
    await page.reload();
    await waitForCheckout(page, /Project T-shirt/);
    await expect
      .poll(() => savedCardsList(page), { timeout: STEP_MS })
      .toEqual(['Visa •••• 1111  12/2031  (default)']);
    expect(await widgetSavedCards(page)).toEqual(['Visa ending 1111 expires 12/31 (default)']);
    expect(
      await widget(page)
        .getByRole('radio', { name: /^Visa ending 1111/ })
        .isChecked(),
    ).toBe(true);
    await payButton(page).click();
    expect(await successText(page)).toBe('Payment successful. $25.00 paid with Visa ending 1111.');
  } finally {
    await context.close();
  }
});

it('a held Enter key makes a card the default or asks to remove it once: it never confirms the removal, nor pays; Enter on a saved card chooses it', async () => {
  const { context, page } = await newShopper(shop);
  try {
    await twoSavedCards(page);
    const sent: string[] = [];
    page.on('request', (r) => {
      if (/\/api\/(checkout\/payments|payment-methods)/.test(r.url()) && r.method() !== 'GET')
        sent.push(`${r.method()} ${r.url().includes('payment-methods') ? 'card' : 'payment'}`);
    });
    /** Enter held down: the first keydown, then the repeats a held key sends. */
    const holdEnter = async () => {
      await page.keyboard.down('Enter');
      for (let i = 0; i < 4; i++) await page.keyboard.down('Enter');
      await page.keyboard.up('Enter');
    };
    const visa = widget(page).getByRole('radio', { name: /^Visa ending 1111/ });
    await widget(page).getByRole('button', { name: 'Make default: Visa ending 1111' }).focus();
    await holdEnter();
    await expect.poll(() => announcement(page)).toBe('Default card updated.');
    // Focus is on the Visa, not chosen: Enter there chooses it, and pays nothing.
    await expect.poll(() => visa.evaluate((e) => e === document.activeElement)).toBe(true);
    expect(await visa.isChecked()).toBe(false);
    await page.keyboard.press('Enter');
    await expect.poll(() => visa.isChecked()).toBe(true);

    await widget(page).getByRole('button', { name: 'Remove: Mastercard ending 4444' }).focus();
    await holdEnter();
    expect(await widget(page).getByText('Remove card ending 4444?').isVisible()).toBe(true);
    await page.waitForTimeout(300);
    expect(await widgetSavedCards(page)).toHaveLength(2);
    expect(sent).toEqual(['PUT card']);

    await payButton(page).click();
    expect(await successText(page)).toBe('Payment successful. $25.00 paid with Visa ending 1111.');
    expect(sent).toEqual(['PUT card', 'POST payment']);
  } finally {
    await context.close();
  }
});

const merchantStatus = (page: Page) => page.locator('#merchant-status').textContent();
const cells = (row: Locator) => row.locator('td').allTextContents();

/** The shopper gives `amount` with a new Visa; answers the merchant panel's row of it. */
async function donated(page: Page, amount: string): Promise<Locator> {
  await chooseItem(page, 'Donation');
  await setDonation(page, amount);
  await waitForCheckout(page, /Donation/);
  await typeCard(page, { number: VISA.number });
  await payButton(page).click();
  await successText(page);
  const row = page.locator('#payments tr', { hasText: `$${amount}` });
  await expect.poll(() => row.count(), { timeout: STEP_MS }).toBe(1);
  return row;
}

it('refunds 5.00, then the remainder, and offers no refund beyond what was paid', async () => {
  const { context, page } = await newShopper(shop);
  try {
    const row = await donated(page, '42.00');
    expect((await cells(row)).slice(2, 4)).toEqual(['$42.00', 'succeeded']);

    // More than was paid: refused, saying what can be refunded, and nothing changes.
    await row.getByRole('textbox', { name: 'Partial refund amount' }).fill('42.01');
    await row.getByRole('button', { name: 'Partial' }).click();
    await expect
      .poll(() => merchantStatus(page), { timeout: STEP_MS })
      .toBe('Enter an amount from $0.01 to $42.00, such as 1.00.');
    expect((await cells(row)).slice(2, 4)).toEqual(['$42.00', 'succeeded']);

    await row.getByRole('textbox', { name: 'Partial refund amount' }).fill('5.00');
    // A double-click is one refund (the button is off while it runs), not two of 5.00.
    await row.getByRole('button', { name: 'Partial' }).dblclick();
    await expect
      .poll(() => merchantStatus(page), { timeout: STEP_MS })
      .toBe('Partial refund: done.');
    await expect
      .poll(() => cells(row))
      .toEqual([
        expect.any(String),
        expect.any(String),
        '$42.00 (refunded $5.00)',
        'partially refunded',
        expect.any(String),
      ]);

    // Full now means what is left, and asks once more before it refunds: the first press
    // changes nothing but the button, and a double-click is one press.
    await row.getByRole('button', { name: 'Refund $37.00 in full' }).dblclick();
    expect(await merchantStatus(page)).toMatch(/^Refund \$37\.00 in full \(.*\)\? Press Confirm/);
    expect((await cells(row)).slice(2, 4)).toEqual([
      '$42.00 (refunded $5.00)',
      'partially refunded',
    ]);
    // A separate press (not within half a second of the one that asked) confirms.
    await page.waitForTimeout(600);
    await row.getByRole('button', { name: /^Confirm refund of \$37\.00 in full/ }).click();
    await expect.poll(() => merchantStatus(page), { timeout: STEP_MS }).toBe('Refund: done.');
    await expect.poll(() => cells(row)).toContain('$42.00 (refunded $42.00)');
    expect((await cells(row))[3]).toBe('refunded');
    // Nothing left to refund: no refund controls at all.
    expect(await row.getByRole('button').count()).toBe(0);
    expect(await row.getByRole('textbox').count()).toBe(0);
  } finally {
    await context.close();
  }
});

/** An answer to the page's next request to `path`, read when asked and handed over on `release`. */
async function holdNextAnswer(
  page: Page,
  path: string,
): Promise<{ release(): void; asked(): boolean }> {
  let release = () => {};
  const released = new Promise<void>((r) => {
    release = r;
  });
  let asked = false;
  await page.route(`**${path}`, async (route) => {
    if (asked) return route.continue();
    asked = true;
    const response = await route.fetch();
    await released;
    await route.fulfill({ response });
  });
  return { release, asked: () => asked };
}

/** The shopper buys the T-shirt with a new Visa: pressed Pay, its answer not awaited. */
async function buyTshirt(page: Page): Promise<void> {
  await chooseItem(page, 'Project T-shirt');
  await waitForCheckout(page, /Project T-shirt/);
  await typeCard(page, { number: VISA.number });
  await payButton(page).click();
}

it('draws the panel from its newest answer: one answered late never shows a refund as not made', async () => {
  const { context, page } = await newShopper(shop);
  try {
    const row = await donated(page, '44.00');
    // The redraw after the partial refund reads the payments, and its answer comes late.
    const late = await holdNextAnswer(page, '/api/admin/payments');
    await row.getByRole('textbox', { name: 'Partial refund amount' }).fill('4.00');
    await row.getByRole('button', { name: 'Partial' }).click();
    await expect.poll(() => late.asked(), { timeout: STEP_MS }).toBe(true);
    // Meanwhile the rest is refunded from the row still drawn, and its redraw is answered first.
    await row.getByRole('button', { name: 'Refund $44.00 in full' }).click();
    await page.waitForTimeout(600);
    await row.getByRole('button', { name: /^Confirm refund of \$44\.00 in full/ }).click();
    await page.waitForTimeout(500);
    late.release();
    await expect.poll(() => merchantStatus(page), { timeout: STEP_MS }).toBe('Refund: done.');
    // The late answer (refunded $4.00, a Full button for $40.00 already returned) is drawn
    // before the newer one, never over it.
    expect((await cells(row)).slice(2, 4)).toEqual(['$44.00 (refunded $44.00)', 'refunded']);
    expect(await row.getByRole('button').count()).toBe(0);
  } finally {
    await context.close();
  }
});

it('keeps the refund amount the merchant is typing when a payment made meanwhile is answered', async () => {
  const { context, page } = await newShopper(shop);
  try {
    const row = await donated(page, '45.00');
    const rows = page.locator('#payments tr');
    const before = await rows.count();
    const slow = await holdNextAnswer(page, '/api/checkout/payments');
    await buyTshirt(page);
    await expect.poll(() => slow.asked(), { timeout: STEP_MS }).toBe(true);
    const amount = row.getByRole('textbox', { name: 'Partial refund amount' });
    await amount.fill('2.00');
    slow.release();
    await successText(page);
    // Time for a redraw's requests to land, had the payment's answer asked for one at once.
    await page.waitForTimeout(1_000);
    expect(await amount.inputValue()).toBe('2.00');
    expect(await rows.count()).toBe(before);
    // Left empty and unfocused, the panel draws the new payment.
    await amount.fill('');
    await amount.blur();
    await expect.poll(() => rows.count(), { timeout: STEP_MS }).toBe(before + 1);
  } finally {
    await context.close();
  }
});

it('draws a payment answered while a redraw was on its way and the merchant worked in a row', async () => {
  const { context, page } = await newShopper(shop);
  try {
    const row = await donated(page, '46.00');
    const rows = page.locator('#payments tr');
    const before = await rows.count();
    const late = await holdNextAnswer(page, '/api/admin/payments');
    await row.getByRole('textbox', { name: 'Partial refund amount' }).fill('1.00');
    await row.getByRole('button', { name: 'Partial' }).click();
    await expect.poll(() => late.asked(), { timeout: STEP_MS }).toBe(true);
    // The shopper pays while the refund's redraw waits: the row is in use, so its redraw waits.
    await buyTshirt(page);
    await successText(page);
    late.release();
    await expect
      .poll(() => merchantStatus(page), { timeout: STEP_MS })
      .toBe('Partial refund: done.');
    await expect.poll(() => rows.count(), { timeout: STEP_MS }).toBe(before + 1);
  } finally {
    await context.close();
  }
});

it('a refund whose answer is lost is "being confirmed" in the panel, never "done"', async () => {
  const { context, page } = await newShopper(shop);
  try {
    const row = await donated(page, '43.00');
    // CyberSource makes the refund, but its answer is a 502: the stub cannot know it happened.
    const emulator = shop.demo.emulator;
    if (!emulator) throw new Error('the demo runs on the emulator');
    emulator.state.faults.add({
      method: 'POST',
      path: '/pts/v2/payments/',
      fault: '502',
      processed: true,
      times: 1,
    });
    await row.getByRole('textbox', { name: 'Partial refund amount' }).fill('3.00');
    await row.getByRole('button', { name: 'Partial' }).click();
    await expect
      .poll(() => merchantStatus(page), { timeout: STEP_MS })
      .toBe('Partial refund: sent, but its answer was lost; it is being confirmed (see Payments).');
    // Reserved against the payment, not shown as returned: the reconciler settles it.
    expect((await cells(row)).slice(2, 4)).toEqual([
      '$43.00 (refunded $3.00)',
      'succeeded; refund of $3.00 being confirmed',
    ]);
  } finally {
    await context.close();
  }
});

it('keeps a partial refund amount being typed, and its focus, while the panel polls a payment under review', async () => {
  // The page's clock is Playwright's, so the panel's 15 s poll can be run through at once.
  const context = await shop.browser.newContext();
  const page = await context.newPage();
  try {
    await page.clock.install();
    await page.goto(`${shop.demo.url}/`);
    await chooseItem(page, 'Donation');
    await setDonation(page, '31.00');
    await waitForCheckout(page, /Donation/);
    await typeCard(page, { number: VISA.number });
    await payButton(page).click();
    await successText(page);
    // A payment held for review (2203.00: Decision Manager) keeps the panel looking again.
    await chooseItem(page, 'Project T-shirt');
    await chooseItem(page, 'Donation');
    await setDonation(page, '2203.00');
    await waitForCheckout(page, /Donation/);
    await expect.poll(() => payButton(page).textContent()).toBe('Pay $2,203.00');
    await typeCard(page, { number: MASTERCARD.number });
    await payButton(page).click();
    const held = page.locator('#payments tr', { hasText: 'review' });
    await expect.poll(() => held.count(), { timeout: STEP_MS }).toBeGreaterThan(0);

    const row = page.locator('#payments tr', { hasText: '$31.00' });
    const amount = row.getByRole('textbox', { name: 'Partial refund amount' });
    await amount.fill('3.0');
    await page.clock.runFor(40_000);
    // Time for a redraw's request to land, had the poll sent one (real time: loopback fetches).
    await page.waitForTimeout(1_000);
    expect(await amount.inputValue()).toBe('3.0');
    expect(await amount.evaluate((e) => e === document.activeElement)).toBe(true);
    // Left empty and unfocused, the panel redraws again on the next look.
    await amount.fill('');
    await amount.blur();
    await amount.evaluate((e) => e.setAttribute('data-before', ''));
    await page.clock.runFor(16_000);
    await expect.poll(() => row.locator('[data-before]').count()).toBe(0);
  } finally {
    await context.close();
  }
});

it('says why a donation was declined and lets the shopper try again', async () => {
  const { context, page } = await newShopper(shop);
  try {
    await chooseItem(page, 'Donation');
    await setDonation(page, '2102.00');
    await waitForCheckout(page, /Donation/);
    await expect.poll(() => payButton(page).textContent()).toBe('Pay $2,102.00');
    await typeCard(page, { number: VISA.number });
    await payButton(page).click();
    const notice = widget(page).locator('.cc-notice');
    await expect
      .poll(() => notice.textContent(), { timeout: STEP_MS })
      .toBe('Insufficient funds. Try another card.');
    // Focus is on the notice: a browser focuses a div only with a tabindex (happy-dom any).
    expect(await notice.evaluate((n) => (n.getRootNode() as Document).activeElement === n)).toBe(
      true,
    );
    // Said through the live region too, and the merchant sees the decline with its reason.
    expect(await widget(page).getByRole('status').textContent()).toBe(
      'Insufficient funds. Try another card.',
    );
    await expect
      .poll(
        () =>
          page.locator('#payments tr', { hasText: '$2,102.00' }).locator('td').nth(3).textContent(),
        {
          timeout: STEP_MS,
        },
      )
      .toBe('declined (INSUFFICIENT_FUND)');

    await setDonation(page, '2103.00');
    await expect.poll(() => payButton(page).textContent()).toBe('Pay $2,103.00');
    await payButton(page).click();
    await expect
      .poll(() => notice.textContent(), { timeout: STEP_MS })
      .toBe('Your card has expired. Try another card.');

    // A security code that did not match (002: the issuer approved, CyberSource's CVN check
    // refused; a soft decline) is said as such, and the code typed again pays.
    const securityCode = securityCodeInput(page);
    await securityCode.fill('');
    await securityCode.pressSequentially('002');
    await setDonation(page, '22.00');
    await expect.poll(() => payButton(page).textContent()).toBe('Pay $22.00');
    await payButton(page).click();
    await expect
      .poll(() => notice.textContent(), { timeout: STEP_MS })
      .toBe('The security code did not match.');
    await expect
      .poll(
        () =>
          page.locator('#payments tr', { hasText: '$22.00' }).locator('td').nth(3).textContent(),
        { timeout: STEP_MS },
      )
      // The authorization the issuer approved is reversed in the background.
      .toMatch(
        /^declined \(CV_FAILED; (releasing the hold on the card|hold on the card released)\)$/,
      );
    await securityCode.fill('');
    await securityCode.pressSequentially('123');

    await setDonation(page, '21.00');
    await expect.poll(() => payButton(page).textContent()).toBe('Pay $21.00');
    await payButton(page).click();
    expect(await successText(page)).toBe('Payment successful. $21.00 paid with Visa ending 1111.');
  } finally {
    await context.close();
  }
});
