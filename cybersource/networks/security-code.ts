/**
 * @module Security-code (CVV/CVC/CID…) validation for Microform's securityCode field.
 */
import type { CardNetwork } from './types.ts';

/**
 * True when `code` is all digits and as long as one of the networks' security codes
 * (Amex 4, the rest 3: MF011). With no network detected yet, 3 or 4 digits are accepted, the
 * same bounds as the field's `maxLength` option (API-FACTS §5.4).
 */
export function isSecurityCodeValid(code: string, networks: readonly CardNetwork[]): boolean {
  if (!/^\d+$/.test(code)) return false;
  if (networks.length === 0) return code.length === 3 || code.length === 4;
  return networks.some((n) => n.securityCode.length === code.length);
}
