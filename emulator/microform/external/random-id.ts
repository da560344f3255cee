/**
 * @module Unguessable ids for microforms, fields and requests.
 *
 * `getRandomValues` rather than `randomUUID`: the latter needs a secure context.
 */
export function randomId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}
