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
    // base64url to base64 (atob takes it unpadded). One char per byte is enough: the fields
    // read here are URLs and hashes (ASCII); a non-ASCII byte elsewhere only garbles that text.
    payload = JSON.parse(atob((jwt.split('.')[1] as string).replace(/-/g, '+').replace(/_/g, '/')));
  } catch {
    return undefined;
  }
  const d = rec(
    arr(isRec(payload) && payload.ctx).find((c) => isRec(c) && /^mf-/.test(str(c.type) as string)),
    'data',
  );
  const clientLibrary = str(d.clientLibrary);
  const clientLibraryIntegrity = str(d.clientLibraryIntegrity);
  return clientLibrary && clientLibraryIntegrity
    ? { clientLibrary, clientLibraryIntegrity }
    : undefined;
}
