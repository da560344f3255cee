/**
 * @module The Content-Security-Policy the stub sends (RELIABILITY-FACTS §1.3: protect the page
 * hosting the card fields with a CSP allow-list and nonces; §3.3: script-src must allow the
 * Microform library's origin, frame-src the field iframes' origin). The CyberSource origins are
 * derived from the configured base URL, never listed by hand:
 * - `apitest.*cybersource.com` (sandbox) → `https://testflex.cybersource.com`
 * - `api.*cybersource.com` (production) → `https://flex.cybersource.com`
 * - anything else (the emulator, a test double) → the base URL's own origin, where the
 *   emulator serves its Microform library, field iframes and token endpoint.
 */

/** Where the Microform library, its field iframes and its token XHR live (API-FACTS §5). */
export function microformOrigin(baseUrl: string): string {
  const url = new URL(baseUrl);
  const host = url.hostname.toLowerCase();
  if (url.protocol === 'https:' && /(^|\.)cybersource\.com$/.test(host)) {
    if (host.startsWith('apitest.')) return 'https://testflex.cybersource.com';
    if (host.startsWith('api.')) return 'https://flex.cybersource.com';
  }
  return url.origin;
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
  const microform = microformOrigin(settings.baseUrl);
  return {
    defaultSrc: ["'self'"],
    scriptSrc: ["'self'", nonce, microform],
    styleSrc: ["'self'", nonce],
    // The Microform library talks to its own host while tokenizing (RELIABILITY-FACTS §3.3).
    connectSrc: ["'self'", microform],
    frameSrc: [microform],
    imgSrc: ["'self'", 'data:'],
    objectSrc: ["'none'"],
    baseUri: ["'none'"],
    formAction: ["'self'"],
    frameAncestors: [...settings.frameAncestors],
  };
}
