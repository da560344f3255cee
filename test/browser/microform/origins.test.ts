/**
 * The fields refuse to run for a page outside the capture context's `targetOrigins` (the
 * merchant's "Additional Supported Sites"), for an expired capture context, and for one whose
 * payload the page altered (API-FACTS §5.2; RELIABILITY-FACTS §3.1).
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../../helpers/browser.ts';
import {
  events,
  fieldFrame,
  fieldInput,
  type Harness,
  openCheckout,
  startHarness,
  tokenize,
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

async function errorsOf(page: Page, count = 2): Promise<any[]> {
  await page.waitForFunction(
    (n) => (window as any).events.filter((e: any) => e.type === 'error').length >= n,
    count,
    { timeout: 10_000 },
  );
  return (await events(page)).filter((e) => e.type === 'error').map((e) => e.data);
}

function base64UrlJson(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

describe('origin check', () => {
  it('refuses a page whose origin is not in targetOrigins, with a clear error', async () => {
    const captureContext = await h.captureContext({ targetOrigins: ['https://shop.example'] });
    const { context, page } = await openCheckout(browser, h, { captureContext });
    try {
      const errors = await errorsOf(page);
      for (const error of errors) {
        expect(error.reason).toBe('CAPTURE_CONTEXT_INVALID');
        expect(error.message).toContain(h.merchant.origin);
        expect(error.message).toContain('targetOrigins');
        expect(error.message).toContain('Additional Supported Sites');
      }
      expect((await events(page)).some((e) => e.type === 'load')).toBe(false);
      const shown = await fieldFrame(page, 'number').locator('.refusal').textContent();
      expect(shown).toContain('not in the capture context');
      expect(await fieldFrame(page, 'number').locator('input').count()).toBe(0);
      expect((await tokenize(page, {})).error.reason).toBe('CREATE_TOKEN_NO_FIELDS_LOADED');
    } finally {
      await context.close();
    }
  });

  it('rejects a capture context whose payload the page altered (signature check)', async () => {
    const genuine = await h.captureContext({ targetOrigins: ['https://shop.example'] });
    const [header, payload, signature] = genuine.split('.');
    const claims = JSON.parse(Buffer.from(payload ?? '', 'base64url').toString());
    claims.ctx[0].data.targetOrigins = [h.merchant.origin];
    const forged = `${header}.${base64UrlJson(claims)}.${signature}`;
    const { context, page } = await openCheckout(browser, h, { captureContext: forged });
    try {
      const errors = await errorsOf(page);
      expect(errors.map((e) => e.reason)).toEqual([
        'IFRAME_JWT_VALIDATION_FAILED',
        'IFRAME_JWT_VALIDATION_FAILED',
      ]);
    } finally {
      await context.close();
    }
  });
});

describe('expiry', () => {
  it('new Flex() throws CAPTURE_CONTEXT_EXPIRED for a context past its 15 minutes', async () => {
    const past = await startHarness({ now: () => new Date(Date.now() - 16 * 60_000) });
    try {
      const captureContext = await past.captureContext();
      const { context, page } = await openCheckout(browser, past, { captureContext });
      try {
        await page.waitForFunction(() => (window as any).loadErrors.length > 0);
        const [error] = await page.evaluate(() => (window as any).loadErrors);
        expect(error).toEqual({
          name: 'MicroformError',
          reason: 'CAPTURE_CONTEXT_EXPIRED',
          message: 'Your capture context has expired.',
        });
        expect(page.frames()).toHaveLength(1);
      } finally {
        await context.close();
      }
    } finally {
      await past.close();
    }
  });

  it('a context that expires while the page is open fails createToken', async () => {
    const captureContext = await h.captureContext();
    const { context, page } = await openCheckout(browser, h, { captureContext });
    try {
      await waitForLoad(page);
      await fieldInput(page, 'number').fill('4111111111111111');
      await fieldInput(page, 'securityCode').fill('123');
      const clock = await fetch(`${h.emulator.url}/__emulator/clock`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ offsetMs: 16 * 60_000 }),
      });
      expect(clock.status).toBe(204);
      const { error } = await tokenize(page, { expirationMonth: '12', expirationYear: '2031' });
      expect(error.reason).toBe('CAPTURE_CONTEXT_EXPIRED');
    } finally {
      h.emulator.state.clockOffsetMs = 0;
      await context.close();
    }
  });
});

/**
 * Put in each field iframe before its script runs: records the target origin of every post to
 * the parent. `parent` is replaceable, so it becomes a recorder that forwards to the real one;
 * a message's `source` that is the real parent reads as the recorder, so the field's own check
 * that commands come from its parent sees what it saw before.
 */
function recordPostsToParent(): void {
  if (location.pathname !== '/microform/v2/iframe/field.html') return;
  const realParent = window.parent;
  const targets: string[] = [];
  (window as any).postTargets = targets;
  const recorder = {
    postMessage(message: unknown, targetOrigin: string) {
      targets.push(targetOrigin);
      realParent.postMessage(message, targetOrigin);
    },
  };
  Object.defineProperty(window, 'parent', { value: recorder, configurable: true });
  const source = Object.getOwnPropertyDescriptor(MessageEvent.prototype, 'source');
  Object.defineProperty(MessageEvent.prototype, 'source', {
    configurable: true,
    get(this: MessageEvent) {
      const real = source?.get?.call(this);
      return real === realParent ? recorder : real;
    },
  });
}

/** A field message as the library and the iframes exchange it (`shared/messages.ts`). */
const fieldMessage = (fieldId: string, event: string, data: object = {}) => ({
  protocol: 'flex-microform-emulator/1',
  fieldId,
  event,
  data,
});

describe('messages between the field iframes and the page', () => {
  it('posts only to the page origin and takes messages only from the page and its own iframe', async () => {
    const captureContext = await h.captureContext();
    const { context, page } = await openCheckout(browser, h, { captureContext }, (p) => {
      void p.addInitScript(recordPostsToParent);
    });
    try {
      await waitForLoad(page);
      await fieldInput(page, 'number').fill('4111111111111111');
      await fieldInput(page, 'securityCode').fill('123');
      const number = fieldFrame(page, 'number');
      const fieldId = number.name().replace('microform-number-', '');

      // The iframes post to the page's origin, never '*' (load, focus, change… all of them).
      for (const field of ['number', 'securityCode'] as const) {
        const targets = await fieldFrame(page, field).evaluate(() => (window as any).postTargets);
        expect(targets.length, field).toBeGreaterThan(1);
        expect(new Set(targets), field).toEqual(new Set([h.merchant.origin]));
      }

      // Commands from a window that is not the iframe's parent are ignored: from the other
      // field iframe (the emulator's origin) and from a frame of the page's own origin.
      await number.evaluate(() => {
        (window as any).markers = 0;
        window.addEventListener('message', (e) => {
          if (e.data === 'forged-done') (window as any).markers += 1;
        });
      });
      const forged = [
        fieldMessage(fieldId, 'clear'),
        fieldMessage(fieldId, 'update', { disabled: true }),
      ];
      // (`top`: `parent` is the recorder in the field iframes.)
      await fieldFrame(page, 'securityCode').evaluate((messages) => {
        for (const m of [...messages, 'forged-done']) window.top?.frames[0]?.postMessage(m, '*');
      }, forged);
      await page.evaluate((messages) => {
        const frame = document.createElement('iframe');
        frame.srcdoc = `<script>
          var target = parent.document.querySelector('#number-container iframe').contentWindow;
          ${JSON.stringify([...messages, 'forged-done'])}.forEach(function (m) { target.postMessage(m, '*'); });
        </script>`;
        document.body.appendChild(frame);
      }, forged);
      await number.waitForFunction(() => (window as any).markers === 2);
      expect(await fieldInput(page, 'number').inputValue()).toBe('4111 1111 1111 1111');
      expect(await fieldInput(page, 'number').isDisabled()).toBe(false);

      // Field events the page posts to itself, or that another origin posts from the field's
      // own iframe once it has been navigated away, are not the field's.
      const before = (await events(page)).length;
      const fake = [
        fieldMessage(fieldId, 'change', { valid: false, couldBeValid: false, empty: false }),
        fieldMessage(fieldId, 'load'),
      ];
      await page.evaluate((messages) => {
        (window as any).forgedDone = false;
        window.addEventListener('message', (e) => {
          if (e.data === 'forged-done') (window as any).forgedDone = true;
        });
        for (const m of messages) window.postMessage(m, '*');
        const html = `<script>${JSON.stringify([...messages, 'forged-done'])}.forEach(function (m) { parent.postMessage(m, '*'); });</script>`;
        const iframe = document.querySelector<HTMLIFrameElement>('#number-container iframe');
        if (iframe) iframe.src = `data:text/html,${encodeURIComponent(html)}`;
      }, fake);
      await page.waitForFunction(() => (window as any).forgedDone);
      expect((await events(page)).slice(before)).toEqual([]);
      const classes = await page.locator('#number-container').getAttribute('class');
      expect(classes).not.toContain('flex-microform-invalid');
    } finally {
      await context.close();
    }
  });
});
