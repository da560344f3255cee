/**
 * @module Issue 5 figure: how long a shopper waits for the checkout form. The demo page in
 * headless Chromium, every authenticated REST answer of the emulator 50 ms late (a service's
 * round trip); the time from the widget's mount to `checkout:ready` (card fields loaded), for a
 * new shopper and for a returning one whose saved cards the stub lists from TMS. Divided by
 * 50 ms it counts the delayed answers waited for one after another: the checkout's own are the
 * session (its two CyberSource calls in parallel) with the saved cards beside it, so one. The
 * rest is the page's own requests to the stub, Microform's library and iframe files (page,
 * script, public key: the emulator does not delay those, so a real CDN's round trips to them
 * come on top) and the CPU between.
 */
import type { BrowserContext } from 'playwright-core';
import { launchDemo } from '../demo/launch.ts';
import { generateKeyPairAsync, type KeySource } from '../emulator/flex/key-pool.ts';
import { payButton, successText, typeCard, VISA, widget } from '../test/browser/demo/harness.ts';
import { launchChromium } from '../test/helpers/browser.ts';
import { ensureWidget } from '../widget/build/build.ts';

const LATENCY_MS = 50;
const RUNS = 7;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;

export interface WidgetReady {
  newShopperMs: number;
  returningShopperMs: number;
  latencyMs: number;
  runs: number;
}

/**
 * The time from the widget's first drawing (its mount) to `checkout:ready` on a fresh load of
 * the demo page: the widget's own wait, without the page's loading before it mounts.
 */
async function readyAfterMount(context: BrowserContext, url: string): Promise<number> {
  const page = await context.newPage();
  try {
    await page.addInitScript(() => {
      const w = window as { mountAt?: number; readyAt?: number };
      // The widget draws its root (`.cc`, loading) as soon as it is mounted.
      new MutationObserver((_, observer) => {
        if (!document.querySelector('.cc')) return;
        w.mountAt = performance.now();
        observer.disconnect();
      }).observe(document, { childList: true, subtree: true });
      document.addEventListener(
        'checkout:ready',
        () => {
          w.readyAt = performance.now();
        },
        { once: true },
      );
    });
    await page.goto(url);
    await page.waitForFunction(() => (window as { readyAt?: number }).readyAt, undefined, {
      timeout: 30_000,
    });
    return await page.evaluate(() => {
      const w = window as { mountAt?: number; readyAt?: number };
      return (w.readyAt ?? NaN) - (w.mountAt ?? NaN);
    });
  } finally {
    await page.close();
  }
}

export async function benchWidgetReady(): Promise<WidgetReady> {
  // Every capture context and Flex v1 key is a new RSA pair (about 0.4 s of CPU here): made
  // before the clock runs, so the figure is the checkout's, not the key generator's.
  const keys = await Promise.all(
    Array.from({ length: 4 * RUNS + 8 }, () => generateKeyPairAsync()),
  );
  const source: KeySource = async () => keys.shift() ?? generateKeyPairAsync();
  await ensureWidget();
  const [demo, browser] = await Promise.all([
    launchDemo({
      buildWidget: false,
      emulatorKeys: source,
      env: {
        PORT: '0',
        EMULATOR_PORT: '0',
        RATE_LIMIT_DISABLED: 'true',
        LOG_LEVEL: 'silent',
        // The widget's own figure, comparable across builds: message-level encryption (on by
        // default in the demo) is the stub's cost, measured beside the plain one in stub-latency.
        DEMO_MLE: 'false',
      },
    }),
    launchChromium(),
  ]);
  try {
    if (!demo.emulator) throw new Error('the benchmark needs the embedded emulator');
    demo.emulator.state.latencyMs = LATENCY_MS;
    const url = `${demo.url}/`;
    const fresh: number[] = [];
    for (let run = 0; run <= RUNS; run += 1) {
      const context = await browser.newContext();
      try {
        const ms = await readyAfterMount(context, url);
        if (run > 0) fresh.push(ms); // the first builds caches (page, widget, library)
      } finally {
        await context.close();
      }
    }
    // A returning shopper: one who kept a card, so the widget lists it (a TMS call) on each load.
    const context = await browser.newContext();
    const returning: number[] = [];
    try {
      const page = await context.newPage();
      await page.goto(url);
      await payButton(page).and(page.locator(':enabled')).waitFor({ timeout: 30_000 });
      await typeCard(page, { number: VISA.number });
      await widget(page).getByRole('checkbox', { name: 'Save this card for next time' }).check();
      await payButton(page).click();
      await successText(page);
      await page.close();
      for (let run = 0; run <= RUNS; run += 1) {
        const ms = await readyAfterMount(context, url);
        if (run > 0) returning.push(ms);
      }
    } finally {
      await context.close();
    }
    return {
      newShopperMs: median(fresh),
      returningShopperMs: median(returning),
      latencyMs: LATENCY_MS,
      runs: RUNS,
    };
  } finally {
    await Promise.all([browser.close(), demo.close()]);
  }
}
