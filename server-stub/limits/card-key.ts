/**
 * @module What "the same card" means to the decline cap (RELIABILITY-FACTS §4: limit per card
 * fingerprint). A saved card is its instrument identifier (same card = same II). A new card is
 * brand + bin + last 4 from the transient token's masked number; the stub asks Microform for no
 * card prefix (`includeCardPrefix:false`), so the bin is usually absent and the key is brand +
 * last 4. Expiry is left out on purpose: guessing the expiry of one card (OAT-010 card
 * cracking) must hit the same counter. The key is hashed before it is stored; truncated card
 * numbers are not secret under PCI DSS, the hash only keeps them out of casual view.
 */
import { createHash } from 'node:crypto';

const hash = (text: string) => createHash('sha256').update(text).digest('hex');

export function savedCardKey(instrumentIdentifierId: string): string {
  return hash(`ii:${instrumentIdentifierId}`);
}

export function newCardKey(card: {
  brand: string;
  last4: string;
  bin?: string | undefined;
}): string {
  return hash(`card:${card.brand}:${card.bin ?? ''}:${card.last4}`);
}
