/**
 * @module Which CyberSource the stub talks to, as the widget needs to know it: a test-mode badge
 * for the sandbox and the emulator, and the one extra origin the Microform library may come
 * from when it is the emulator (the widget otherwise accepts only flex/testflex.cybersource.com).
 */

export type Environment = 'production' | 'sandbox' | 'emulator';

/** `api.cybersource.com` (and regional `api.in.`, `api.sa.`) is production; `apitest.*` the sandbox. */
export function environmentOf(baseUrl: string): Environment {
  const host = new URL(baseUrl).hostname;
  if (/^apitest(\.[a-z]+)?\.cybersource\.com$/.test(host)) return 'sandbox';
  if (/^api(\.[a-z]+)?\.cybersource\.com$/.test(host)) return 'production';
  return 'emulator';
}

/**
 * The origin the widget may load the Microform library from, declared only for the emulator:
 * the library origin of a capture context whose signature the stub has verified.
 */
export function emulatorOrigin(
  environment: Environment,
  clientLibrary: string | undefined,
): string | undefined {
  if (environment !== 'emulator' || !clientLibrary) return undefined;
  try {
    return new URL(clientLibrary).origin;
  } catch {
    return undefined;
  }
}
