/**
 * @module Loads scripts the widget adds to the payment page, always with `integrity` and
 * `crossOrigin="anonymous"` (PCI DSS 6.4.3; Microform has required SRI since 2025-04-01: KA-07551,
 * RELIABILITY-FACTS §3.2). The Microform library loads once per page, modelled on stripe-js
 * `src/shared.ts`: one memoized promise per URL, forgotten on failure so a later call can retry,
 * and never a second `<script>` for the same URL.
 */
import { type FlexConstructor, getFlex } from './flex-types.ts';

/**
 * Settles when `s` (`existing`, else a new tag for `src`) has loaded or failed (the value means
 * nothing: callers check what the script defined); a failed tag is removed, so a retry adds a
 * fresh one. Listeners go on before the tag is connected: some environments report synchronously.
 */
export function addScript(src: string, integrity: string, existing?: HTMLScriptElement) {
  const s = existing ?? document.createElement('script');
  const done = new Promise((resolve) => {
    s.addEventListener('load', resolve);
    // remove() returns undefined: a failed tag goes, and the promise settles the same way.
    s.addEventListener('error', () => resolve(s.remove()));
  });
  if (!existing) {
    s.src = src;
    s.integrity = integrity;
    s.crossOrigin = 'anonymous';
    document.head.appendChild(s);
  }
  return done;
}

const loading: Record<string, Promise<unknown>> = {};

/** The library's `Flex`, or undefined if it failed to load or did not define it. */
export async function loadFlex(
  src: string,
  integrity: string,
): Promise<FlexConstructor | undefined> {
  if (!getFlex()) {
    loading[src] ??= addScript(
      src,
      integrity,
      [...document.scripts].find((s) => s.src === src),
    );
    await loading[src];
    if (!getFlex()) delete loading[src];
  }
  return getFlex();
}
