/**
 * The emulated Microform end to end in Chromium: type a card into the iframes, get a transient
 * token, verify it with the capture context's key (API-FACTS §5.5).
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../../helpers/browser.ts';
import {
  events,
  fieldInput,
  type Harness,
  openCheckout,
  startHarness,
  tokenize,
  verifyTransientToken,
  waitForLoad,
} from './harness.ts';

let browser: Browser;
let h: Harness;

beforeAll(async () => {
  [browser, h] = await Promise.all([launchChromium(), startHarness()]);
});
afterAll(async () => {
  await Promise.all([browser?.close(), h?.close()]);
});

describe('createToken', () => {
  it('types a Visa into the iframes and gets a verifiable transient token', async () => {
    const captureContext = await h.captureContext();
    const { context, page } = await openCheckout(browser, h, { captureContext });
    try {
      await waitForLoad(page);
      await fieldInput(page, 'number').pressSequentially('4111111111111111');
      await fieldInput(page, 'securityCode').fill('123');
      expect(await fieldInput(page, 'number').inputValue()).toBe('4111 1111 1111 1111');
      const result = await tokenize(page, { expirationMonth: '12', expirationYear: '2031' });
      expect(result.error).toBeUndefined();
      const payload = await verifyTransientToken(result.token ?? '', captureContext);
      expect(payload.type).toBe('mf-2.0.0');
      expect(payload.content).toMatchObject({
        paymentInformation: {
          card: {
            number: { detectedCardTypes: ['001'], maskedValue: 'XXXXXXXXXXXX1111' },
            expirationMonth: { value: '12' },
            expirationYear: { value: '2031' },
          },
        },
      });
      expect(Number(payload.exp) - Number(payload.iat)).toBe(900);
      const types = (await events(page)).map((e) => `${e.field}:${e.type}`);
      expect(types).toContain('number:focus');
      expect(types).toContain('number:change');
    } finally {
      await context.close();
    }
  });
});

describe('field options and events', () => {
  it('applies options and the style allow-list, warning about other properties', async () => {
    const captureContext = await h.captureContext();
    const warnings: string[] = [];
    const { context, page } = await openCheckout(
      browser,
      h,
      {
        captureContext,
        microformOptions: { styles: { input: { color: 'rgb(1, 2, 3)', 'font-size': '17px' } } },
        numberOptions: {
          placeholder: 'Card number here',
          title: 'Number',
          'aria-label': 'Your card',
          description: 'Long number on the front',
          styles: { input: { position: 'absolute', 'background-image': 'url(x)' } },
        },
        securityCodeOptions: { maxLength: 4, autoformat: false, 'aria-required': true },
      },
      (p) => p.on('console', (m) => m.type() === 'warning' && warnings.push(m.text())),
    );
    try {
      await waitForLoad(page);
      const number = fieldInput(page, 'number');
      expect(await number.getAttribute('placeholder')).toBe('Card number here');
      expect(await number.getAttribute('title')).toBe('Number');
      expect(await number.getAttribute('aria-label')).toBe('Your card');
      expect(await number.getAttribute('autocomplete')).toBe('cc-number');
      expect(await number.getAttribute('aria-describedby')).toBe('field-description-number');
      const css = await number.evaluate((el) => {
        const s = getComputedStyle(el);
        return { color: s.color, fontSize: s.fontSize, position: s.position };
      });
      expect(css).toEqual({ color: 'rgb(1, 2, 3)', fontSize: '17px', position: 'static' });
      expect(warnings).toContain("Unsupported css property: 'position'");
      expect(warnings).toContain("Unsupported css property: 'background-image'");
      const cvn = fieldInput(page, 'securityCode');
      expect(await cvn.getAttribute('autocomplete')).toBe('cc-csc');
      expect(await cvn.getAttribute('aria-required')).toBe('true');
      await cvn.fill('12345');
      expect(await cvn.inputValue()).toBe('1234');
    } finally {
      await context.close();
    }
  });

  it('update, clear, focus, Enter and autofill reach the page as events', async () => {
    const captureContext = await h.captureContext();
    const { context, page } = await openCheckout(browser, h, { captureContext });
    try {
      await waitForLoad(page);
      const number = fieldInput(page, 'number');
      await number.fill('4111111111111111');
      await number.press('Enter');
      await page.waitForFunction(() =>
        (window as any).events.some((e: any) => e.type === 'inputSubmitRequest'),
      );
      expect(await page.locator('#number-container').getAttribute('class')).toContain(
        'flex-microform-focused',
      );

      await page.evaluate(() =>
        (window as any).fields.number.update({ disabled: true, placeholder: 'off' }),
      );
      await page.waitForFunction(() =>
        (window as any).events.some((e: any) => e.type === 'update'),
      );
      expect(await number.isDisabled()).toBe(true);
      const update = (await events(page)).find((e) => e.type === 'update');
      expect(update?.data).toEqual({ disabled: true, placeholder: 'off' });
      await page.evaluate(() => (window as any).fields.number.update({ disabled: false }));
      await page.waitForFunction(
        () => (window as any).events.filter((e: any) => e.type === 'update').length === 2,
      );

      await page.evaluate(() => (window as any).fields.number.clear());
      await page.waitForFunction(() => {
        const changes = (window as any).events.filter(
          (e: any) => e.type === 'change' && e.field === 'number',
        );
        return changes.at(-1)?.data.empty === true;
      });
      expect(await number.inputValue()).toBe('');

      // Browser autofill fills the hidden cc-exp-* companions next to the number input.
      const frame = page.frameLocator('#number-container iframe');
      await frame.locator('input[autocomplete="cc-exp-month"]').fill('09');
      await frame.locator('input[autocomplete="cc-exp-year"]').fill('2030');
      await frame.locator('input[autocomplete="cc-name"]').fill('Ada Lovelace');
      // Each companion fill may arrive as its own event: wait until all three have.
      await page.waitForFunction(() => {
        const merged = Object.assign(
          {},
          ...(window as any).events
            .filter((e: any) => e.type === 'autocomplete')
            .map((e: any) => e.data),
        );
        return 'name' in merged && 'expirationMonth' in merged && 'expirationYear' in merged;
      });
      const autocomplete = (await events(page)).filter((e) => e.type === 'autocomplete');
      expect(Object.assign({}, ...autocomplete.map((e) => e.data))).toEqual({
        name: 'Ada Lovelace',
        expirationMonth: '09',
        expirationYear: '2030',
      });
    } finally {
      await context.close();
    }
  });
});
