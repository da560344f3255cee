/**
 * createToken failures and API misuse, as MicroformError objects with the reasons and detail
 * locations of API-FACTS §5.4: client-side params and fields first, then the tokens
 * endpoint's `responseStatus` mapped from `captureData.*`.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { launchChromium } from '../../helpers/browser.ts';
import {
  fieldInput,
  type Harness,
  openCheckout,
  startHarness,
  tokenize,
  waitForLoad,
} from './harness.ts';

let browser: Browser;
let h: Harness;
let context: BrowserContext;
let page: Page;

beforeAll(async () => {
  [browser, h] = await Promise.all([launchChromium(), startHarness()]);
  const captureContext = await h.captureContext();
  ({ context, page } = await openCheckout(browser, h, { captureContext }));
  await waitForLoad(page);
});
afterAll(async () => {
  await context?.close();
  await Promise.all([browser?.close(), h?.close()]);
});

async function enter(number: string, securityCode: string): Promise<void> {
  await fieldInput(page, 'number').fill(number);
  await fieldInput(page, 'securityCode').fill(securityCode);
}

const locations = (error: any) => error.details.map((d: any) => d.location);

describe('client-side validation', () => {
  beforeEach(() => enter('4111111111111111', '123'));

  it('CREATE_TOKEN_VALIDATION_PARAMS names each bad parameter', async () => {
    const { error } = await tokenize(page, { expirationMonth: '13', expirationYear: '1999' });
    expect(error).toMatchObject({
      name: 'MicroformError',
      reason: 'CREATE_TOKEN_VALIDATION_PARAMS',
      message: 'One or more params have a validation error.',
      details: [
        { message: 'Validation error', location: 'expirationMonth' },
        { message: 'Validation error', location: 'expirationYear' },
      ],
    });
    expect(error.informationLink).toMatch(/^https:\/\//);
    const typed = await tokenize(page, {
      expirationMonth: '12',
      expirationYear: '2031',
      type: 'x',
    });
    expect(locations(typed.error)).toEqual(['type']);
  });

  it('CREATE_TOKEN_VALIDATION_FIELDS names the invalid fields', async () => {
    await enter('4111111111111112', '12');
    const { error } = await tokenize(page, { expirationMonth: '12', expirationYear: '2031' });
    expect(error.reason).toBe('CREATE_TOKEN_VALIDATION_FIELDS');
    expect(locations(error)).toEqual(['number', 'securityCode']);
    await enter('4111111111111111', '');
    const cvn = await tokenize(page, { expirationMonth: '12', expirationYear: '2031' });
    expect(locations(cvn.error)).toEqual(['securityCode']);
  });

  it('a number of a network outside allowedCardNetworks is an invalid field', async () => {
    await enter('6011111111111117', '123');
    const { error } = await tokenize(page, { expirationMonth: '12', expirationYear: '2031' });
    expect(error.reason).toBe('CREATE_TOKEN_VALIDATION_FIELDS');
    expect(locations(error)).toEqual(['number']);
  });
});

describe('server-side validation', () => {
  beforeEach(() => enter('4111111111111111', '123'));

  it('maps captureData.* locations (an expiry in the past)', async () => {
    const { error } = await tokenize(page, { expirationMonth: '01', expirationYear: '2020' });
    expect(error.reason).toBe('CREATE_TOKEN_VALIDATION_SERVERSIDE');
    expect(error.message).toBe('Server-side validation has rejected your request.');
    expect(locations(error).length).toBeGreaterThan(0);
    for (const location of locations(error)) {
      expect(['expirationMonth', 'expirationYear']).toContain(location);
    }
  });

  it('missing expiry parameters are rejected by the server with their locations', async () => {
    const { error } = await tokenize(page, {});
    expect(error.reason).toBe('CREATE_TOKEN_VALIDATION_SERVERSIDE');
    expect(locations(error).sort()).toEqual(['expirationMonth', 'expirationYear']);
  });
});

describe('API misuse', () => {
  it('throws the documented MicroformErrors', async () => {
    const reasons = await page.evaluate(() => {
      const w = window as any;
      const attempt = (fn: () => unknown) => {
        try {
          fn();
          return 'no error';
        } catch (e: any) {
          return `${e.name}:${e.reason}`;
        }
      };
      return {
        duplicate: attempt(() => w.microform.createField('number')),
        badType: attempt(() => w.microform.createField('expiry')),
        alreadyLoaded: attempt(() => w.fields.number.load('#number-container')),
        badEvent: attempt(() => w.fields.number.on('keypress', () => {})),
        badCallback: attempt(() => w.fields.number.on('change', 'nope')),
        invalidContext: attempt(() => new w.Flex('not.a.jwt')),
        garbage: attempt(() => new w.Flex(42)),
      };
    });
    expect(reasons).toEqual({
      duplicate: 'MicroformError:CREATE_FIELD_DUPLICATE',
      badType: 'MicroformError:CREATE_FIELD_INVALID_FIELD_TYPE',
      alreadyLoaded: 'MicroformError:FIELD_ALREADY_LOADED',
      badEvent: 'MicroformError:FIELD_SUBSCRIBE_UNSUPPORTED_EVENT',
      badCallback: 'MicroformError:FIELD_SUBSCRIBE_INVALID_CALLBACK',
      invalidContext: 'MicroformError:CAPTURE_CONTEXT_INVALID',
      garbage: 'MicroformError:CAPTURE_CONTEXT_INVALID',
    });
  });

  it('load errors, unload, dispose and CREATE_TOKEN_NO_FIELDS_LOADED', async () => {
    const result = await page.evaluate(async () => {
      const w = window as any;
      const attempt = (fn: () => unknown) => {
        try {
          fn();
          return 'ok';
        } catch (e: any) {
          return e.reason;
        }
      };
      const out: Record<string, unknown> = {};
      w.fields.number.unload();
      w.fields.securityCode.unload();
      out.unloadTwice = attempt(() => w.fields.number.unload());
      out.noSuchContainer = attempt(() => w.fields.number.load('#nowhere'));
      out.notAContainer = attempt(() => w.fields.number.load(42));
      out.iframes = document.querySelectorAll('iframe').length;
      out.token = await w.tokenize({ expirationMonth: '12', expirationYear: '2031' });
      w.fields.securityCode.dispose();
      out.recreate = attempt(() => w.microform.createField('securityCode'));
      return out;
    });
    expect(result).toMatchObject({
      unloadTwice: 'FIELD_UNLOAD_ERROR',
      noSuchContainer: 'FIELD_LOAD_CONTAINER_SELECTOR',
      notAContainer: 'FIELD_LOAD_INVALID_CONTAINER',
      iframes: 0,
      token: {
        error: { reason: 'CREATE_TOKEN_NO_FIELDS_LOADED', message: 'No fields have been loaded.' },
      },
      recreate: 'ok',
    });
    const unloads = await page.evaluate(() =>
      (window as any).events.filter((e: any) => e.type === 'unload').map((e: any) => e.field),
    );
    expect(unloads).toEqual(['number', 'securityCode']);
  });
});
