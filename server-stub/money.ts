/**
 * @module The checkout's currencies. Amounts are integers in minor units inside the stub and
 * decimal strings on the wire (API-FACTS §2.2), converted by `cybersource/payments/amount.ts`
 * without floats.
 */
import { z } from 'zod';
import { currencyDecimals, formatMinorUnits } from '../cybersource/payments/amount.ts';

export const CURRENCIES = ['USD', 'CAD', 'EUR'] as const;
export const Currency = z.enum(CURRENCIES, { message: 'must be USD, CAD or EUR' });
export type Currency = z.infer<typeof Currency>;

export function minorUnits(currency: Currency): number {
  return currencyDecimals(currency) ?? 2;
}

/** 1234 → `"12.34"` for CyberSource. */
export function formatAmount(minor: number, currency: Currency): string {
  if (!Number.isSafeInteger(minor) || minor < 0)
    throw new RangeError('amount must be a non-negative integer');
  return formatMinorUnits(minor, currency);
}
