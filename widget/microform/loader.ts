/**
 * @module Loads the Microform library once per page, modelled on stripe-js `src/shared.ts`:
 * one memoized promise per URL, forgotten on failure so a later call can retry, and never a
 * second `<script>` for the same URL. `integrity` + `crossOrigin="anonymous"` always: SRI has
 * been required since 2025-04-01 (KA-07551, RELIABILITY-FACTS §3.2).
 */
import { type FlexConstructor, getFlex } from './flex-types.ts';

const loading: Record<string, Promise<FlexConstructor>> = {};

export function loadFlex(src: string, integrity: string): Promise<FlexConstructor> {
  const ready = getFlex();
  if (ready) return Promise.resolve(ready);
  loading[src] ??= new Promise<FlexConstructor>((resolve, reject) => {
    const existing = Array.from(document.scripts).find((s) => s.src === src);
    const script = existing ?? document.createElement('script');
    // Listen before the tag is connected: some environments report synchronously.
    script.addEventListener('load', () => {
      const flex = getFlex();
      flex ? resolve(flex) : reject(new Error('Microform loaded without window.Flex'));
    });
    script.addEventListener('error', (cause) => {
      script.remove();
      reject(new Error('Failed to load Microform', { cause }));
    });
    if (!existing) {
      script.src = src;
      script.integrity = integrity;
      script.crossOrigin = 'anonymous';
      document.head.appendChild(script);
    }
  }).catch((e: unknown) => {
    delete loading[src];
    throw e;
  });
  return loading[src];
}
