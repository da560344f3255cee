/**
 * @module The Content-Security-Policy the stub sends (RELIABILITY-FACTS §1.3: protect the page
 * hosting the card fields with a CSP allow-list and nonces; §3.3: script-src must allow the
 * Microform library's origin, frame-src the field iframes' origin). The CyberSource origins are
 * derived from the configured base URL, never listed by hand:
 * - `apitest.*cybersource.com` (sandbox) → `https://testflex.cybersource.com`
 * - `api.*cybersource.com` (production) → `https://flex.cybersource.com`
 * - this machine → the base URL's own origin, where the emulator serves its Microform library,
 *   field iframes and token endpoint;
 * - anything else → that origin (an emulator elsewhere) and both CyberSource flex hosts, for a
 *   base URL that is a proxy in front of CyberSource (the library then comes from
 *   `flex.`/`testflex.`, as the stub reads from the capture context, `checkout/environment.ts`).
 *   A library a white-label gateway
 *   or Visa Acceptance serves from a host of its own is not known here: that page needs
 *   `CSP_REPORT_ONLY=true` or its own CSP (README "Switching to the real sandbox").
 */
import { apiHostOf } from '../../checkout/environment.ts';
import { isLoopbackHost } from '../../config/origins.ts';

/** Where the Microform library, its field iframes and its token XHR live (API-FACTS §5). */
export function microformOrigins(baseUrl: string): string[] {
  const url = new URL(baseUrl);
  const host = url.hostname.toLowerCase();
  const api = apiHostOf(baseUrl);
  if (api?.brand === 'cybersource')
    return [`https://${api.environment === 'sandbox' ? 'test' : ''}flex.cybersource.com`];
  // The emulator on this machine serves everything itself.
  if (isLoopbackHost(host)) return [url.origin];
  return [url.origin, 'https://flex.cybersource.com', 'https://testflex.cybersource.com'];
}

export interface CspSettings {
  /** `CYBERSOURCE_BASE_URL`. */
  baseUrl: string;
  /** `CSP_FRAME_ANCESTORS` sources. */
  frameAncestors: readonly string[];
}

/** CSP directives by hono's camelCase names; `N` is the per-response nonce source. */
export interface CspDirectives<N> {
  defaultSrc: (string | N)[];
  scriptSrc: (string | N)[];
  styleSrc: (string | N)[];
  connectSrc: (string | N)[];
  frameSrc: (string | N)[];
  imgSrc: (string | N)[];
  objectSrc: (string | N)[];
  baseUri: (string | N)[];
  formAction: (string | N)[];
  frameAncestors: (string | N)[];
}

/** The directives, with `nonce` standing for this response's `'nonce-…'` source. */
export function cspDirectives<N>(settings: CspSettings, nonce: N): CspDirectives<N> {
  const microform = microformOrigins(settings.baseUrl);
  return {
    defaultSrc: ["'self'"],
    scriptSrc: ["'self'", nonce, ...microform],
    styleSrc: ["'self'", nonce],
    // The Microform library talks to its own host while tokenizing (RELIABILITY-FACTS §3.3).
    connectSrc: ["'self'", ...microform],
    frameSrc: [...microform],
    imgSrc: ["'self'", 'data:'],
    objectSrc: ["'none'"],
    baseUri: ["'none'"],
    formAction: ["'self'"],
    frameAncestors: [...settings.frameAncestors],
  };
}
