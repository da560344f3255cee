/**
 * @module Reads the Microform library location from a capture context. The stub has verified
 * the JWT's RS256 signature (RELIABILITY-FACTS §3.1); the browser only decodes the payload, and
 * still checks every field it uses.
 */
import { arr, isRec, rec, str } from '../api/guards.ts';

export interface LibraryRef {
  clientLibrary: string;
  clientLibraryIntegrity: string;
  /**
   * Milliseconds the context lives, `exp - iat` (900 s: API-FACTS §5.2); NaN when absent. Both
   * are the issuer's clock, so a shopper's clock set wrong does not change it.
   */
  life: number;
}

/** `ctx[i].data.clientLibrary(+Integrity)` of the first `mf-*` context, and its lifetime (API-FACTS §5.2). */
export function libraryOf(jwt: string): LibraryRef | undefined {
  let payload: unknown;
  try {
    // base64url to base64 (atob takes it unpadded). One char per byte is enough: the fields
    // read here are URLs and hashes (ASCII); a non-ASCII byte elsewhere only garbles that text.
    payload = JSON.parse(atob((jwt.split('.')[1] as string).replace(/-/g, '+').replace(/_/g, '/')));
  } catch {
    return undefined;
  }
  const p = isRec(payload) ? payload : {};
  const d = rec(
    arr(p.ctx).find((c) => isRec(c) && /^mf-/.test(str(c.type) as string)),
    'data',
  );
  const clientLibrary = str(d.clientLibrary);
  const clientLibraryIntegrity = str(d.clientLibraryIntegrity);
  return clientLibrary && clientLibraryIntegrity
    ? { clientLibrary, clientLibraryIntegrity, life: (Number(p.exp) - Number(p.iat)) * 1000 }
    : undefined;
}
