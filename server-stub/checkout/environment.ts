/**
 * @module Which CyberSource the stub talks to, as the widget needs to know it: the test-mode
 * badge (sandbox and emulator), and the one origin besides CyberSource's flex hosts the
 * Microform library may come from.
 *
 * Decided from the base URL when it is one of CyberSource's API hosts (API-FACTS §1.1, Visa
 * Acceptance's included); behind a proxy, at a white-label gateway or at the emulator, from the
 * library of the verified capture context. A checkout that might be live never says "Test
 * mode": an unknown library host counts as production (API-FACTS §1.1, decision).
 */
import { isLoopbackHost } from '../config/origins.ts';

export type Environment = 'production' | 'sandbox' | 'emulator';

/** `api.` / `apitest.` (regional `api.in.`, `apitest.sa.`…) of CyberSource and Visa Acceptance. */
const API_HOST = /^api(test)?(\.[a-z]+)?\.(cybersource|visaacceptance)\.com$/;
/** Where CyberSource serves the Microform library (API-FACTS §1.1, §5.3). */
const FLEX_HOST = /^(test)?flex\.(cybersource|visaacceptance)\.com$/;
/** The origins the widget accepts the library from without being told (widget/microform/library-origin.ts). */
const WIDGET_KNOWS = /^https:\/\/(test)?flex\.cybersource\.com$/;

const urlOf = (url: string | undefined): URL | undefined => {
  try {
    return new URL(url ?? '');
  } catch {
    return undefined;
  }
};

/**
 * Which of CyberSource's (or Visa Acceptance's) API hosts `baseUrl` is, by name: `sandbox`
 * (`apitest.`), `production` (`api.`), or undefined for any other host. Also where the stub's
 * CSP finds the flex host (`http/security/csp.ts`).
 */
export function apiHostOf(
  baseUrl: string,
): { environment: 'sandbox' | 'production'; brand: 'cybersource' | 'visaacceptance' } | undefined {
  const url = new URL(baseUrl);
  const known = API_HOST.exec(url.hostname.toLowerCase());
  if (!known || url.protocol !== 'https:') return undefined;
  return {
    environment: known[1] ? 'sandbox' : 'production',
    brand: known[3] === 'visaacceptance' ? 'visaacceptance' : 'cybersource',
  };
}

export function environmentOf(baseUrl: string, clientLibrary?: string): Environment {
  const api = new URL(baseUrl);
  const known = apiHostOf(baseUrl);
  if (known) return known.environment;
  const library = urlOf(clientLibrary);
  const flex = library && library.protocol === 'https:' && FLEX_HOST.exec(library.hostname);
  if (flex) return flex[1] ? 'sandbox' : 'production';
  // The emulator serves its library itself; CyberSource never from its API host.
  if (isLoopbackHost(api.hostname) || library?.origin === api.origin) return 'emulator';
  return 'production';
}

/**
 * The library's origin when the widget would not accept it on its own (the emulator, Visa
 * Acceptance, a white-label gateway): read from a capture context whose signature the stub
 * verified against its configured CyberSource, so it is that CyberSource's own choice.
 */
export function libraryOrigin(clientLibrary: string | undefined): string | undefined {
  const origin = urlOf(clientLibrary)?.origin;
  return origin && origin !== 'null' && !WIDGET_KNOWS.test(origin) ? origin : undefined;
}
