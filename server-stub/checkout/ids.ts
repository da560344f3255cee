/**
 * @module Ids the stub mints. `transactionId` must be unique for 180 days, it is how a timeout
 * reversal finds an authorization (RELIABILITY-FACTS §3.6); 96 random bits are plenty.
 *
 * The others are a prefix and 16 letters or digits (95 bits). A payment's is also its
 * `clientReferenceInformation.code`, which the reconciler looks up with a Transaction Search
 * query (`code:pay_…`): base64url's `-` is an operator in that Lucene-style syntax, whose
 * documented examples are letters and digits only (the `txn-filtering` page), so none is minted
 * (ids minted before this, with `-`, stay valid: the shopper cookie still reads them).
 */
import { randomBytes } from 'node:crypto';

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** `n` letters or digits, uniform: bytes of 248 and up (4 × 62) are drawn again. */
function alnum(n: number): string {
  let out = '';
  while (out.length < n)
    for (const b of randomBytes(n + 8)) if (b < 248 && out.length < n) out += ALNUM[b % 62];
  return out;
}

export const newId = (prefix: 'pay' | 'ref' | 'sub' | 'cs' | 'shp') => `${prefix}_${alnum(16)}`;

export const newTransactionId = () => randomBytes(12).toString('hex');
