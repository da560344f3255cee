/**
 * @module `orderInformation.billTo` / `shipTo` of a payment (API-FACTS §2.2, §2.7, §6).
 *
 * Built from TMS's strict `BillTo` (the same fields are vaulted by TOKEN_CREATE), so an unknown
 * key is refused rather than copied into a payment instrument. For a US or Canadian address the
 * `administrativeArea` must be a real two-letter code: the real sandbox refuses a bad US state
 * with INVALID_DATA on `orderInformation.billTo.administrativeArea` (API-FACTS §6).
 */
import type { z } from 'zod';
import { BillTo } from '../tms/common.ts';

/** USPS codes: 50 states, DC, the inhabited territories, and the military "states" AA/AE/AP. */
export const US_STATE_CODES: ReadonlySet<string> = new Set([
  ...['AL', 'AK', 'AZ', 'AR', 'CA', 'CO', 'CT', 'DE', 'FL', 'GA', 'HI', 'ID', 'IL', 'IN', 'IA'],
  ...['KS', 'KY', 'LA', 'ME', 'MD', 'MA', 'MI', 'MN', 'MS', 'MO', 'MT', 'NE', 'NV', 'NH', 'NJ'],
  ...['NM', 'NY', 'NC', 'ND', 'OH', 'OK', 'OR', 'PA', 'RI', 'SC', 'SD', 'TN', 'TX', 'UT', 'VT'],
  ...['VA', 'WA', 'WV', 'WI', 'WY'],
  'DC',
  ...['PR', 'GU', 'VI', 'AS', 'MP'],
  ...['AA', 'AE', 'AP'],
]);

/** Canada Post codes: 10 provinces and 3 territories. */
export const CA_PROVINCE_CODES: ReadonlySet<string> = new Set([
  ...['AB', 'BC', 'MB', 'NB', 'NL', 'NS', 'ON', 'PE', 'QC', 'SK'],
  ...['NT', 'NU', 'YT'],
]);

/** True unless the country is US/CA and the area is not one of its codes (case-insensitive). */
export function isValidAdministrativeArea(country?: string, area?: string): boolean {
  if (area === undefined) return true;
  const codes =
    country === 'US' ? US_STATE_CODES : country === 'CA' ? CA_PROVINCE_CODES : undefined;
  return codes === undefined || codes.has(area.toUpperCase());
}

const checkArea = (
  value: { country?: string | undefined; administrativeArea?: string | undefined },
  ctx: z.RefinementCtx,
) => {
  if (!isValidAdministrativeArea(value.country, value.administrativeArea)) {
    ctx.addIssue({
      code: 'custom',
      message: `expected a ${value.country} state, province or territory code`,
      path: ['administrativeArea'],
    });
  }
};

/** `orderInformation.billTo`: the TMS billing fields, strict, with the US/CA area check. */
export const PaymentBillTo = BillTo.superRefine(checkArea);

/** `orderInformation.shipTo`: the name and address fields of `billTo` (no email or phone). */
export const PaymentShipTo = BillTo.omit({ email: true, phoneNumber: true }).superRefine(checkArea);
