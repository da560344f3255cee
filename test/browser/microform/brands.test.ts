/**
 * Brand detection in the number iframe for every seed network's test card, co-badged included:
 * the `change` payload the merchant page receives must be exactly what the shared network rules
 * compute (API-FACTS §5.4, §5.6), in the capture context's network order.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  microformNumberChange,
  NETWORKS,
  type NetworkName,
  TEST_CARDS,
} from '../../../cybersource/networks/index.ts';
import { launchChromium } from '../../helpers/browser.ts';
import {
  ALL_NETWORKS,
  events,
  fieldInput,
  type Harness,
  lastChange,
  openCheckout,
  startHarness,
  tokenize,
  waitForLoad,
} from './harness.ts';

let browser: Browser;
let h: Harness;
let context: BrowserContext;
let page: Page;
let captureContext: string;

beforeAll(async () => {
  [browser, h] = await Promise.all([launchChromium(), startHarness()]);
  captureContext = await h.captureContext({ allowedCardNetworks: ALL_NETWORKS });
  ({ context, page } = await openCheckout(browser, h, { captureContext }));
  await waitForLoad(page);
});
afterAll(async () => {
  await context?.close();
  await Promise.all([browser?.close(), h?.close()]);
});

async function typeNumber(number: string): Promise<any> {
  const before = (await events(page)).length;
  await fieldInput(page, 'number').fill(number);
  await page.waitForFunction((n) => (window as any).events.length > n, before);
  return lastChange(page, 'number');
}

describe('number field brand detection', () => {
  it.each(TEST_CARDS.map((c) => [c.description, c] as const))('%s', async (_, card) => {
    const change = await typeNumber(card.number);
    const expected = microformNumberChange(card.number, ALL_NETWORKS as NetworkName[]);
    expect(change).toEqual(expected);
    expect(change.valid).toBe(true);
    const detected = change.card.map((c: any) => c.cybsCardType).sort();
    const wanted = [card.network, ...(card.coBadgedWith ?? [])]
      .map((n) => NETWORKS[n].cybsCardType)
      .sort();
    expect(detected).toEqual(wanted);
  });

  it('reports partial numbers as couldBeValid and a bad Luhn as invalid', async () => {
    const partial = await typeNumber('411111');
    expect(partial).toMatchObject({ valid: false, couldBeValid: true, empty: false });
    expect(partial.card[0]).toMatchObject({ name: 'visa', cybsCardType: '001' });
    const bad = await typeNumber('4111111111111112');
    expect(bad.valid).toBe(false);
    const empty = await typeNumber('');
    expect(empty).toEqual({ card: [], valid: false, couldBeValid: false, empty: true });
  });

  it('formats with the brand spaces and asks a 4-digit security code for Amex', async () => {
    await typeNumber('378282246310005');
    expect(await fieldInput(page, 'number').inputValue()).toBe('3782 822463 10005');
    await fieldInput(page, 'securityCode').fill('12345');
    expect(await fieldInput(page, 'securityCode').inputValue()).toBe('1234');
    expect(await lastChange(page, 'securityCode')).toEqual({
      empty: false,
      couldBeValid: true,
      valid: true,
    });
    const result = await tokenize(page, { expirationMonth: '01', expirationYear: '2030' });
    expect(result.error).toBeUndefined();
  });

  it('detects only the capture context networks', async () => {
    const onlyVisa = await h.captureContext({ allowedCardNetworks: ['VISA'] });
    const other = await openCheckout(browser, h, { captureContext: onlyVisa });
    try {
      await waitForLoad(other.page);
      await fieldInput(other.page, 'number').fill('5555555555554444');
      await other.page.waitForFunction(() =>
        (window as any).events.some((e: any) => e.type === 'change' && e.field === 'number'),
      );
      expect(await lastChange(other.page, 'number')).toEqual({
        card: [],
        valid: false,
        couldBeValid: false,
        empty: false,
      });
    } finally {
      await other.context.close();
    }
  });
});
