/**
 * @module Display formatting of a card number (Microform's `autoformat`, API-FACTS §5.4).
 */
import { detectNetworks } from './detect.ts';
import type { CardNetwork } from './types.ts';

/** MF011 uses these gaps for every network except Amex and Diners Club. */
const DEFAULT_GAPS: readonly number[] = [4, 8, 12];

/**
 * Inserts a space after each of the network's gap positions that the digits reach past, e.g.
 * "4111111111111111" → "4111 1111 1111 1111", Amex "378282246310005" → "3782 822463 10005".
 * Without a network, the first detected one (or 4-8-12) is used. White space in the input is
 * dropped first, so formatting a formatted number gives the same string.
 */
export function formatCardNumber(digits: string, network?: CardNetwork): string {
  const clean = digits.replace(/\s+/g, '');
  const gaps = (network ?? detectNetworks(clean)[0])?.gaps ?? DEFAULT_GAPS;
  let out = '';
  let from = 0;
  for (const gap of gaps) {
    if (clean.length <= gap) break;
    out += `${clean.slice(from, gap)} `;
    from = gap;
  }
  return out + clean.slice(from);
}
