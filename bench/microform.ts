/**
 * Benchmark of the emulated Microform in headless Chromium (issue 3): time from `new Flex()`
 * to both fields' `load` events, and from `createToken` to the token. Medians over several
 * runs, each in a fresh browser context with a fresh capture context, after one warm-up run
 * (the first request builds the browser bundles).
 */

import {
  fieldInput,
  openCheckout,
  startHarness,
  tokenize,
  waitForLoad,
} from '../test/browser/microform/harness.ts';
import { launchChromium } from '../test/helpers/browser.ts';

const RUNS = 7;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const value = sorted.length % 2 ? sorted[mid] : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
  return Math.round((value ?? 0) * 10) / 10;
}

export async function benchMicroform(): Promise<{ loadMs: number; tokenMs: number; runs: number }> {
  const [browser, h] = await Promise.all([launchChromium(), startHarness()]);
  const loads: number[] = [];
  const tokens: number[] = [];
  try {
    for (let run = 0; run <= RUNS; run += 1) {
      const captureContext = await h.captureContext();
      const { context, page } = await openCheckout(browser, h, { captureContext });
      try {
        await waitForLoad(page);
        const loadMs = await page.evaluate(() => {
          const w = window as any;
          const loaded = w.events.filter((e: any) => e.type === 'load').map((e: any) => e.at);
          return Math.max(...loaded) - w.flexStartedAt;
        });
        await fieldInput(page, 'number').fill('4111111111111111');
        await fieldInput(page, 'securityCode').fill('123');
        const result = await tokenize(page, { expirationMonth: '12', expirationYear: '2031' });
        if (!result.token) throw new Error(`createToken failed: ${JSON.stringify(result.error)}`);
        const tokenMs = await page.evaluate(() => (window as any).lastTokenMs as number);
        if (run > 0) {
          loads.push(loadMs);
          tokens.push(tokenMs);
        }
      } finally {
        await context.close();
      }
    }
  } finally {
    await Promise.all([browser.close(), h.close()]);
  }
  return { loadMs: median(loads), tokenMs: median(tokens), runs: RUNS };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  benchMicroform().then(
    (r) => process.stdout.write(`${JSON.stringify(r)}\n`),
    (err) => {
      console.error(err);
      process.exit(1);
    },
  );
}
