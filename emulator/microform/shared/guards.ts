/**
 * @module Small type guards for data that crosses a frame boundary.
 *
 * Messages between the merchant page and the field iframes (and between the iframes) are
 * untrusted input: every one is checked here before use, never cast (DESIGN.md "Principles").
 * Hand-written rather than zod so the browser bundles stay small.
 */

export type Json = Record<string, unknown>;

export function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function isString(value: unknown): value is string {
  return typeof value === 'string';
}

export function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every(isString);
}

/** `value[key]` when it is a string, else undefined. */
export function stringAt(value: Json, key: string): string | undefined {
  const v = value[key];
  return typeof v === 'string' ? v : undefined;
}

/** `value[key]` when it is a plain object, else undefined. */
export function recordAt(value: Json, key: string): Json | undefined {
  const v = value[key];
  return isRecord(v) ? v : undefined;
}

/** A compact JWS/JWT: three base64url segments (MF011 checks the same shape). */
export function looksLikeJwt(value: unknown): value is string {
  return typeof value === 'string' && /^[-\w]+\.[-\w]+\.[-\w]+$/.test(value);
}
