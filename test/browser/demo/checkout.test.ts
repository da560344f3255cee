/**
 * The demo's payment journeys in Chromium: a one-time payment with a new card, a subscription
 * and its renewal from the merchant panel, paying again with a saved card, and a double click
 * that must pay once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  chooseItem,
  MASTERCARD,
  newShopper,
  numberInput,
  openShop,
  payButton,
  paymentRows,
  type Shop,
  STEP_MS,
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

describe('paying in the demo shop', () => {
  it('buys the T-shirt with a new Visa and the merchant sees it succeeded', async () => {
    const { context, page } = await newShopper(shop);
    try {
      await chooseItem(page, 'Project T-shirt');
      await waitForCheckout(page, /Project T-shirt/);
      await expect.poll(() => payButton(page).textContent()).toBe('Pay $25.00');
      await typeCard(page, { number: VISA.number });
      await payButton(page).click();
      expect(await successText(page)).toBe(
        'Payment successful. $25.00 paid with Visa ending 1111.',
      );
      await expect
        .poll(() => paymentRows(page), { timeout: STEP_MS })
        .toContainEqual([
          expect.any(String),
          'Project T-shirt · Visa 1111',
          '$25.00',
          'succeeded',
          expect.any(String),
        ]);
    } finally {
      await context.close();
    }
  });

  it('switches the checkout to French, loading that language from the stub, and pays in it', async () => {
    const { context, page } = await newShopper(shop);
    try {
      await chooseItem(page, 'Project T-shirt');
      await waitForCheckout(page, /Project T-shirt/);
      await page.getByLabel('Checkout language').selectOption('fr-CA');
      // fr-CA formats: a comma for decimals, the currency after the amount.
      await expect
        .poll(() => payButton(page).textContent(), { timeout: STEP_MS })
        .toMatch(/^Payer 25,00\s\$\s?US$/);
      // The Microform fields are labelled in French too (their iframes get the label text).
      const w = widget(page);
      await numberInput(page).pressSequentially(VISA.number);
      await securityCodeInput(page).pressSequentially('123');
      await w.getByLabel('Expiration (MM/AA)').fill('12/31');
      await w.getByLabel('Nom sur la carte').fill('Ada Lovelace');
      await w.getByLabel('Courriel').fill('ada@example.com');
      await payButton(page).click();
      expect(await successText(page)).toMatch(
        /^Paiement réussi\. Vous avez payé 25,00\s\$\s?US avec la carte Visa/,
      );
    } finally {
      await context.close();
    }
  });

  it('subscribes to the plan (the card is always saved), the merchant renews it, the shopper cancels it and takes it back', async () => {
    const { context, page } = await newShopper(shop);
    try {
      await chooseItem(page, 'Pro plan');
      await waitForCheckout(page, /Pro plan/);
      await expect.poll(() => payButton(page).textContent()).toBe('Pay $9.00 / month');
      const save = widget(page).getByRole('checkbox', { name: 'Save this card for next time' });
      expect(await save.isChecked()).toBe(true);
      expect(await save.isDisabled()).toBe(true);
      // The reason is shown, and is the checkbox's description for assistive technology.
      const reason = widget(page).getByText('Subscriptions keep this card to pay renewals.');
      expect(await reason.isVisible()).toBe(true);
      expect(await save.getAttribute('aria-describedby')).toBe(await reason.getAttribute('id'));

      await typeCard(page, { number: MASTERCARD.number, expiry: '11/30' });
      await payButton(page).click();
      expect(await successText(page)).toBe(
        'Payment successful. $9.00 paid with Mastercard ending 4444.',
      );

      const subscription = page.locator('#subscriptions tr', { hasText: 'Pro plan' });
      await expect.poll(() => subscription.count(), { timeout: STEP_MS }).toBe(1);
      expect(await subscription.locator('td').nth(1).textContent()).toBe('$9.00 / month');
      expect(await subscription.locator('td').nth(2).textContent()).toMatch(/^#1 until /);
      expect(await subscription.locator('td').nth(3).textContent()).toBe('active');
      const planPayments = async () =>
        (await paymentRows(page)).filter((r) => r[1]?.startsWith('Pro plan'));
      expect(await planPayments()).toHaveLength(1);

      await subscription.getByRole('button', { name: 'Renew now' }).click();
      await expect
        .poll(() => page.locator('#merchant-status').textContent(), { timeout: STEP_MS })
        .toBe('Renewal: done.');
      await expect
        .poll(() => subscription.locator('td').nth(2).textContent())
        .toMatch(/^#2 until /);
      // The renewal row names the stored card it charged, like the first payment's row.
      expect((await planPayments()).map((p) => p.slice(1, 4))).toEqual([
        ['Pro plan renewal #2 · Mastercard 4444', '$9.00', 'succeeded'],
        ['Pro plan · Mastercard 4444', '$9.00', 'succeeded'],
      ]);
      // The button names the period its row lists as next (`{"period": 3}` now), so renewing
      // again pays period 3, once.
      await subscription.getByRole('button', { name: 'Renew now' }).click();
      await expect
        .poll(() => subscription.locator('td').nth(2).textContent(), { timeout: STEP_MS })
        .toMatch(/^#3 until /);
      expect(await planPayments()).toHaveLength(3);

      // The shopper cancels it from their own list: no more renewals, and no charge for it.
      const mine = page.locator('#my-subscriptions li', { hasText: 'Pro' });
      expect(await mine.textContent()).toMatch(/active, next renewal/);
      await mine.getByRole('button', { name: /^Cancel Pro/ }).click();
      // Asked once more; leaving the button takes the question back.
      await page.keyboard.press('Tab');
      expect(await mine.textContent()).toMatch(/active, next renewal/);
      await mine.getByRole('button', { name: /^Cancel Pro/ }).click();
      // The question and the outcome are said beside the shopper's list, not in the merchant's.
      const shopperStatus = () => page.locator('#shopper-status').textContent();
      expect(await shopperStatus()).toMatch(/^Cancel Pro plan\? .*press Confirm/);
      await page.waitForTimeout(600); // a separate press, not a double-click
      await mine.getByRole('button', { name: /^Confirm cancellation of Pro/ }).click();
      await expect
        .poll(() => mine.textContent(), { timeout: STEP_MS })
        .toMatch(/canceled, paid until /);
      await expect.poll(shopperStatus).toBe('Cancellation: done.');
      await expect.poll(() => subscription.locator('td').nth(3).textContent()).toBe('canceled');
      // Canceled with its period paid: resuming is all either side can do now.
      expect(await subscription.getByRole('button').allTextContents()).toEqual(['Resume']);
      expect(await planPayments()).toHaveLength(3);

      // The shopper takes it back: renewing again, nothing charged.
      await mine.getByRole('button', { name: 'Resume Pro plan' }).click();
      await expect
        .poll(() => mine.textContent(), { timeout: STEP_MS })
        .toMatch(/active, next renewal/);
      await expect.poll(shopperStatus).toBe('Resumption: done.');
      await expect.poll(() => subscription.locator('td').nth(3).textContent()).toBe('active');
      expect(await planPayments()).toHaveLength(3);
      // And the merchant cancels it for good from the panel.
      await subscription.getByRole('button', { name: /^Cancel: Pro plan/ }).click();
      await page.waitForTimeout(600);
      await subscription.getByRole('button', { name: /^Confirm cancellation: Pro plan/ }).click();
      await expect
        .poll(() => subscription.locator('td').nth(3).textContent(), { timeout: STEP_MS })
        .toBe('canceled');
    } finally {
      await context.close();
    }
  });

  it("moves the subscription onto another saved card from the shopper's list; the renewal charges it", async () => {
    const { context, page } = await newShopper(shop);
    try {
      await chooseItem(page, 'Pro plan');
      await waitForCheckout(page, /Pro plan/);
      // A card that expires this month: before the first renewal, a month on.
      const now = new Date();
      const thisMonth = `${String(now.getUTCMonth() + 1).padStart(2, '0')}/${String(now.getUTCFullYear() % 100).padStart(2, '0')}`;
      await typeCard(page, { number: MASTERCARD.number, expiry: thisMonth });
      await payButton(page).click();
      await successText(page);
      // A second card, kept with a T-shirt.
      await page.reload();
      await chooseItem(page, 'Project T-shirt');
      await waitForCheckout(page, /Project T-shirt/);
      await widget(page).getByRole('radio', { name: 'A new card' }).check();
      await typeCard(page, { number: VISA.number, expiry: '12/31' });
      await widget(page).getByRole('checkbox', { name: 'Save this card for next time' }).check();
      await payButton(page).click();
      await successText(page);

      const mine = page.locator('#my-subscriptions li', { hasText: 'Pro' });
      await expect
        .poll(() => mine.textContent(), { timeout: STEP_MS })
        .toMatch(
          /active, next renewal .* on Mastercard •••• 4444 \(the card expires before then\)/,
        );
      await mine
        .getByLabel('Card for Pro plan', { exact: true })
        .selectOption({ label: 'Visa •••• 1111' });
      await mine.getByRole('button', { name: 'Use this card for Pro plan' }).click();
      await expect
        .poll(() => page.locator('#shopper-status').textContent(), { timeout: STEP_MS })
        .toBe('Card change: done.');
      expect(await mine.textContent()).toMatch(/on Visa •••• 1111/);
      expect(await mine.textContent()).not.toMatch(/expires before/);

      const subscription = page.locator('#subscriptions tr', { hasText: 'Pro plan' });
      await subscription.getByRole('button', { name: 'Renew now' }).click();
      await expect
        .poll(
          async () => (await paymentRows(page)).find((r) => r[1]?.startsWith('Pro plan renewal')),
          { timeout: STEP_MS },
        )
        .toEqual([
          expect.any(String),
          'Pro plan renewal #2 · Visa 1111',
          '$9.00',
          'succeeded',
          expect.any(String),
        ]);
      // The saved cards cannot be read a moment (TMS slow): the shopper's subscription still
      // names the card it renews with, from the cards read before.
      await page.route('**/api/payment-methods', (route) =>
        route.fulfill({
          status: 502,
          contentType: 'application/json',
          body: '{"error":{"code":"gateway_error","message":"CyberSource had an error."}}',
        }),
      );
      await subscription.getByRole('button', { name: 'Renew now' }).click();
      await expect
        .poll(() => subscription.locator('td').nth(2).textContent(), { timeout: STEP_MS })
        .toMatch(/^#3 until /);
      expect(await mine.textContent()).toMatch(/on Visa •••• 1111/);
    } finally {
      await context.close();
    }
  });

  it('pays with a card saved on an earlier purchase, after a reload', async () => {
    const { context, page } = await newShopper(shop);
    try {
      await chooseItem(page, 'Project T-shirt');
      await waitForCheckout(page, /Project T-shirt/);
      await typeCard(page, { number: VISA.number, expiry: '10/32' });
      await widget(page).getByRole('checkbox', { name: 'Save this card for next time' }).check();
      await payButton(page).click();
      await successText(page);

      await page.reload();
      await chooseItem(page, 'Project T-shirt');
      await waitForCheckout(page, /Project T-shirt/);
      expect(await widgetSavedCards(page)).toEqual(['Visa ending 1111 expires 10/32 (default)']);
      const saved = widget(page).getByRole('radio', { name: /^Visa ending 1111/ });
      // The only saved card is the default, so it is already chosen; choose it anyway.
      await saved.check();
      expect(await saved.isChecked()).toBe(true);
      // A saved card needs no card fields.
      expect(await widget(page).getByLabel('Name on card').isVisible()).toBe(false);
      await payButton(page).click();
      expect(await successText(page)).toBe(
        'Payment successful. $25.00 paid with Visa ending 1111.',
      );
    } finally {
      await context.close();
    }
  });

  it('pays once when the shopper double-clicks Pay', async () => {
    const { context, page } = await newShopper(shop);
    try {
      await chooseItem(page, 'Donation');
      await setDonation(page, '12.34');
      await waitForCheckout(page, /Donation/);
      await expect.poll(() => payButton(page).textContent()).toBe('Pay $12.34');
      await typeCard(page, { number: VISA.number });
      const emulator = shop.demo.emulator;
      if (!emulator) throw new Error('the demo runs on the emulator');
      const before = emulator.state.requests.list().length;
      await payButton(page).dblclick();
      expect(await successText(page)).toBe(
        'Payment successful. $12.34 paid with Visa ending 1111.',
      );
      const sent = emulator.state.requests
        .list()
        .slice(before)
        .filter((r) => r.method === 'POST' && r.path === '/pts/v2/payments');
      expect(sent).toHaveLength(1);
      await expect
        .poll(async () => (await paymentRows(page)).filter((r) => r[2] === '$12.34'), {
          timeout: STEP_MS,
        })
        .toHaveLength(1);
    } finally {
      await context.close();
    }
  });
});

describe('an outcome confirmed later', () => {
  // Its own shop, with a reconciler that looks a second after an unanswered sale.
  let quick: Shop;
  beforeAll(async () => {
    quick = await openShop({ RECONCILE_AFTER_SECONDS: '1', RECONCILE_INTERVAL_SECONDS: '1' });
  });
  afterAll(() => quick?.close());

  it('an item chosen while confirming waits; the receipt brings its item back and the other is one click away', async () => {
    const { context, page } = await newShopper(quick);
    try {
      await chooseItem(page, 'Donation');
      await setDonation(page, '2000.00'); // the emulator records the sale, then answers 502
      await waitForCheckout(page, /Donation/);
      await expect.poll(() => payButton(page).textContent()).toBe('Pay $2,000.00');
      await typeCard(page, { number: VISA.number });
      await payButton(page).click();
      const check = widget(page).getByRole('button', { name: 'Check again' });
      await check.waitFor({ timeout: STEP_MS });
      // The shopper looks at the T-shirt meanwhile: the widget keeps the payment's notice.
      await page.getByRole('radio', { name: /^Project T-shirt/ }).check();
      await expect
        .poll(
          async () => {
            if (await check.isVisible()) await check.click();
            return widget(page).locator('.cc-done').count();
          },
          { timeout: STEP_MS, interval: 500 },
        )
        .toBe(1);
      expect(await successText(page)).toBe(
        'Payment successful. $2,000.00 paid with Visa ending 1111.',
      );
      // The page shows the item the receipt is for …
      expect(await page.getByRole('radio', { name: /^Donation/ }).isChecked()).toBe(true);
      // … and the T-shirt, chosen again, starts its checkout.
      await chooseItem(page, 'Project T-shirt');
      await expect.poll(() => payButton(page).textContent()).toBe('Pay $25.00');
    } finally {
      await context.close();
    }
  });
});

describe("the capture context's refresh at minute 13 (the page's clock is Playwright's)", () => {
  it('keeps the keyboard in the card number field the shopper was typing in', async () => {
    const context = await shop.browser.newContext();
    const page = await context.newPage();
    try {
      await page.clock.install();
      await page.goto(`${shop.demo.url}/`);
      await chooseItem(page, 'Project T-shirt');
      await waitForCheckout(page, /Project T-shirt/);
      await numberInput(page).pressSequentially('41111111');
      await page.clock.fastForward('13:01');
      await expect
        .poll(() => widget(page).locator('.cc-notice').textContent(), { timeout: STEP_MS })
        .toBe('Please enter your card number and security code again.');
      // The old iframe went with its context; the new number field has the keyboard.
      await expect
        .poll(() =>
          page.evaluate(() =>
            document.activeElement?.closest('[data-cc-field]')?.getAttribute('data-cc-field'),
          ),
        )
        .toBe('number');
      // Focus reaches the input inside the frame a moment after the frame itself (Microform
      // focuses it on a message); typed before that, the first key went to the frame's page.
      await expect
        .poll(() => numberInput(page).evaluate((el) => el === el.ownerDocument.activeElement))
        .toBe(true);
      await page.keyboard.type('4111111111111111');
      expect((await numberInput(page).inputValue()).replace(/\D/g, '')).toBe('4111111111111111');
    } finally {
      await context.close();
    }
  });

  it('offline at that moment, the typed card still pays', async () => {
    const context = await shop.browser.newContext();
    const page = await context.newPage();
    let offline = false;
    let asked = 0;
    await page.route('**/api/checkout/sessions', (route) => {
      asked++;
      return offline ? route.abort('internetdisconnected') : route.continue();
    });
    try {
      await page.clock.install();
      await page.goto(`${shop.demo.url}/`);
      await chooseItem(page, 'Project T-shirt');
      await waitForCheckout(page, /Project T-shirt/);
      await typeCard(page, { number: VISA.number });
      const before = asked;
      offline = true;
      await page.clock.fastForward('13:01');
      await expect.poll(() => asked).toBe(before + 1);
      offline = false;
      // Nothing said, nothing taken: the fields of the context still running stay.
      await payButton(page).and(page.locator(':enabled')).waitFor({ timeout: STEP_MS });
      expect(await widget(page).locator('.cc-notice').count()).toBe(0);
      expect(await widget(page).locator('iframe').count()).toBe(2);
      await payButton(page).click();
      expect(await successText(page)).toBe(
        'Payment successful. $25.00 paid with Visa ending 1111.',
      );
    } finally {
      await context.close();
    }
  });
});
