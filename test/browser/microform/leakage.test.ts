/**
 * The security property (RELIABILITY-FACTS §1.3): the card number and security code typed
 * into the fields never reach the merchant page's DOM, scripts, storage, console or network
 * traffic. The only thing that leaves the iframes is the transient token (and the JWE, which
 * is encrypted to the capture context's key).
 */
import type { Browser, Request } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../../helpers/browser.ts';
import {
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

const PAN = '5555555555554444';
const CVN = '739';

/** True when `text` holds the card number (plain or spaced) or the CVN as a standalone number. */
function leaks(text: string): boolean {
  const spaced = PAN.replace(/(\d{4})(?=\d)/g, '$1 ');
  return (
    text.includes(PAN) ||
    text.includes(spaced) ||
    new RegExp(`(^|[^A-Za-z0-9])${CVN}($|[^A-Za-z0-9])`).test(text)
  );
}

describe('card data stays in the iframes', () => {
  it('never reaches the merchant page DOM, storage, console or requests', async () => {
    const captureContext = await h.captureContext();
    const consoleTexts: string[] = [];
    const requests: { main: boolean; url: string; body: string; headers: string }[] = [];
    const { context, page } = await openCheckout(browser, h, { captureContext }, (p) => {
      p.on('console', (m) => consoleTexts.push(m.text()));
      p.on('request', (r: Request) =>
        requests.push({
          main: r.frame() === p.mainFrame(),
          url: r.url(),
          body: r.postData() ?? '',
          headers: JSON.stringify(r.headers()),
        }),
      );
    });
    try {
      await waitForLoad(page);
      await fieldInput(page, 'number').pressSequentially(PAN);
      await fieldInput(page, 'securityCode').pressSequentially(CVN);
      const { token, error } = await tokenize(page, {
        expirationMonth: '06',
        expirationYear: '2032',
      });
      expect(error).toBeUndefined();
      await verifyTransientToken(token ?? '', captureContext);

      // The page cannot reach into the field iframes.
      const reach = await page.evaluate(() =>
        [...document.querySelectorAll('iframe')].map((f) => {
          try {
            return f.contentDocument === null ? 'blocked' : 'readable';
          } catch {
            return 'blocked';
          }
        }),
      );
      expect(reach).toEqual(['blocked', 'blocked']);

      const seenByPage = await page.evaluate(() => ({
        html: document.documentElement.outerHTML,
        text: document.body.textContent ?? '',
        scripts: [...document.scripts].map((s) => s.textContent ?? '').join('\n'),
        storage: JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }),
        cookies: document.cookie,
        // Without their `at` (performance.now()): a time like 1523.739 reads as the CVN.
        events: JSON.stringify((window as any).events.map(({ at: _at, ...e }: any) => e)),
        resources: JSON.stringify(performance.getEntriesByType('resource').map((e) => e.name)),
      }));
      for (const [where, text] of Object.entries(seenByPage)) {
        expect(leaks(text), `merchant page ${where}`).toBe(false);
      }
      expect(consoleTexts.some(leaks)).toBe(false);
      expect(requests.filter((r) => r.main).length).toBeGreaterThan(0);
      for (const r of requests) {
        // The iframe's own requests included: the tokens POST carries a JWE, never plaintext.
        expect(
          leaks(r.url + r.body + r.headers),
          `${r.main ? 'page' : 'iframe'} request ${r.url}`,
        ).toBe(false);
      }
      const tokensPost = requests.find((r) => r.url.endsWith('/flex/v2/tokens'));
      expect(tokensPost?.main).toBe(false);
      expect(tokensPost?.body.split('.')).toHaveLength(5);
      // …and the field itself still holds the card, so the check above was meaningful.
      const held = await fieldInput(page, 'number').inputValue();
      expect(held).toBe('5555 5555 5555 4444');
      expect(
        leaks(held) && leaks(`cvn ${await fieldInput(page, 'securityCode').inputValue()}`),
      ).toBe(true);
    } finally {
      await context.close();
    }
  });
});
