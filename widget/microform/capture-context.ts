/**
 * @module Reads the Microform library location from a capture context. The stub has verified
 * the JWT's RS256 signature (RELIABILITY-FACTS §3.1); the browser only decodes the payload, and
 * still checks every field it uses.
 */
import { arr, isRec, rec, str } from '../api/guards.ts';

export interface LibraryRef {
  clientLibrary: string;
  clientLibraryIntegrity: string;
}

/** `ctx[i].data.clientLibrary(+Integrity)` of the first `mf-*` context (API-FACTS §5.2). */
export function libraryOf(jwt: string): LibraryRef | undefined {
  let payload: unknown;
  try {
    const b64 = (jwt.split('.')[1] ?? '').replace(/-/g, '+').replace(/_/g, '/');
    const bytes = Uint8Array.from(atob(b64.padEnd(Math.ceil(b64.length / 4) * 4, '=')), (c) =>
      c.charCodeAt(0),
    );
    payload = JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    return undefined;
  }
  const ctx = arr(isRec(payload) ? payload.ctx : undefined).find(
    (c) => isRec(c) && /^mf-/.test(str(c.type) ?? ''),
  );
  const d = rec(ctx, 'data');
  const clientLibrary = str(d.clientLibrary);
  const clientLibraryIntegrity = str(d.clientLibraryIntegrity);
  return clientLibrary && clientLibraryIntegrity
    ? { clientLibrary, clientLibraryIntegrity }
    : undefined;
}
