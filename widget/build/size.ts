/**
 * @module The widget's size budget: JS + CSS ≤ 12 KB gzip, Preact included (issue 5). The CSS
 * is inlined into checkout.js, so that one file is the whole cost to an English page.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { OUT } from './build.ts';

/**
 * Issue 5 sets 12 KB (`TARGET_BYTES`), not met: checkout.js is about 16.5 KB, of which Preact,
 * the English messages and the CSS are 5.9 KB (widget/README.md "Size" has the breakdown;
 * `npm run size -- --by-source` measures it). CI gates just above the current size
 * (`BUDGET_BYTES`) so the bundle cannot grow unnoticed; raising it is a decision made in the
 * commit that needs it, with what the bytes buy.
 */
export const TARGET_BYTES = 12 * 1024;
export const BUDGET_BYTES = 17_360;

export interface WidgetSize {
  /** checkout.js, CSS included. */
  jsGzip: number;
  /** 0: the CSS ships inside checkout.js and is counted in `jsGzip`. */
  cssGzip: number;
  total: number;
  /** The CI gate (`BUDGET_BYTES`). */
  budget: number;
  /** Issue 5's target (`TARGET_BYTES`). */
  target: number;
}

/** Gzip level 9 of the built `checkout.js`. */
export async function measureWidget(dir = OUT): Promise<WidgetSize> {
  const jsGzip = gzipSync(await readFile(join(dir, 'checkout.js')), { level: 9 }).length;
  return { jsGzip, cssGzip: 0, total: jsGzip, budget: BUDGET_BYTES, target: TARGET_BYTES };
}
