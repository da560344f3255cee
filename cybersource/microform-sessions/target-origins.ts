/**
 * @module `targetOrigins` rules for `POST /microform/v2/sessions` (RELIABILITY-FACTS §3.1,
 * NODE `docs/GenerateCaptureContextRequest.md`): scheme + host + optional port, https only
 * except `http://localhost`, no wildcards, no path, query or fragment; 1 to 9 entries.
 *
 * Shared: the emulator refuses a bad origin with these messages, and the stub validates
 * `CHECKOUT_ALLOWED_SITES` with the same function before it ever sends one.
 */

export const MAX_TARGET_ORIGINS = 9;

/** Why `value` is not a valid target origin, or undefined when it is. */
export function targetOriginProblem(value: string): string | undefined {
  if (value.includes('*')) return 'Wildcards are not supported in target origins';
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'Target origin must be an absolute URL: scheme, host and optional port';
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    return 'Target origin scheme must be https';
  }
  if (url.protocol === 'http:' && url.hostname !== 'localhost') {
    return 'Target origin must use https unless the host is localhost';
  }
  if (url.username || url.password) return 'Target origin must not contain credentials';
  // Browsers compare the serialized origin byte for byte, and `new URL` adds "/" to a bare
  // origin, so compare the text itself: a path, query or fragment (even a trailing "/"), an
  // upper-case host or a default port (":443") all make it something the browser never sends.
  if (url.origin !== value) {
    return `Target origin must be exactly scheme://host[:port] as a browser serializes it (${url.origin}), with no path`;
  }
  return undefined;
}
