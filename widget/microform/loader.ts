/**
 * @module Loads scripts the widget adds to the payment page, always with `integrity` and
 * `crossOrigin="anonymous"` (PCI DSS 6.4.3; Microform has required SRI since 2025-04-01: KA-07551,
 * RELIABILITY-FACTS §3.2). The Microform library loads once per page, modelled on stripe-js
 * `src/shared.ts`: one memoized promise per URL, forgotten on failure so a later call can retry,
 * and never a second `<script>` for the same URL.
 */
import { type FlexConstructor, getFlex } from './flex-types.ts';

/**
 * Settles when `s` (`existing`, else a new tag for `src`) has loaded or failed; a failed tag is
 * removed, so a retry adds a fresh one. Listeners go on before the tag is connected: some
 * environments report synchronously.
 */
export function addScript(src: string, integrity: string, existing?: HTMLScriptElement) {
  const s = existing ?? document.createElement('script');
  const done = new Promise<boolean>((resolve) => {
    s.addEventListener('load', () => resolve(true));
    s.addEventListener('error', () => {
      s.remove();
      resolve(false);
    });
  });
  if (!existing) {
    s.src = src;
    s.integrity = integrity;
    s.crossOrigin = 'anonymous';
    document.head.appendChild(s);
  }
  return done;
}

const loading: Record<string, Promise<FlexConstructor>> = {};

export function loadFlex(src: string, integrity: string): Promise<FlexConstructor> {
  const ready = getFlex();
  if (ready) return Promise.resolve(ready);
  loading[src] ??= addScript(
    src,
    integrity,
    Array.from(document.scripts).find((s) => s.src === src),
  ).then((ok) => {
    const flex = getFlex();
    if (flex) return flex;
    delete loading[src];
    throw new Error(ok ? 'Microform loaded without window.Flex' : 'Failed to load Microform');
  });
  return loading[src];
}
