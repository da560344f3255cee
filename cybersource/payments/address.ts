/**
 * @module `orderInformation.billTo` / `shipTo` of a payment (API-FACTS §2.2, §2.7, §6).
 *
 * Built from TMS's strict `BillTo` (the fields TOKEN_CREATE vaults) and the payment's documented
 * extras, never vaulted; an unknown key is refused. For a US or Canadian address the
 * `administrativeArea` must be a real two-letter code: the real sandbox refuses a bad US state
 * with INVALID_DATA on `orderInformation.billTo.administrativeArea` (API-FACTS §6). Its
 * `postalCode` must be written as the field's documentation says (NODE
 * `Ptsv2paymentsOrderInformationBillTo.md`): "[5 digits][dash][4 digits]" or 5 digits in the
 * US, "[alpha][numeric][alpha][space][numeric][alpha][numeric]" in Canada. [inferred: the
 * answer to another spelling is not recorded; refused like a bad state, INVALID_DATA on the
 * field.]
 */
import { z } from 'zod';
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

const POSTAL_CODE: Readonly<Record<string, RegExp>> = {
  US: /^\d{5}(-\d{4})?$/,
  CA: /^[A-Za-z]\d[A-Za-z] \d[A-Za-z]\d$/,
};

/** True unless the country is US/CA and the code is not written the documented way. */
export function isValidPostalCode(country?: string, code?: string): boolean {
  const format = country === undefined ? undefined : POSTAL_CODE[country];
  return code === undefined || format === undefined || format.test(code);
}

/**
 * A postal code as a shopper may type it, written the documented way where that is one
 * reading only: a Canadian code upper-case with its space ("k1a0b1" → "K1A 0B1"), a ZIP code's
 * surrounding spaces trimmed. Anything else is left for `isValidPostalCode` to refuse.
 */
export function normalizePostalCode(country?: string, code?: string): string | undefined {
  if (code === undefined) return undefined;
  const t = code.trim();
  const ca = country === 'CA' && /^([A-Za-z]\d[A-Za-z]) ?(\d[A-Za-z]\d)$/.exec(t);
  return ca ? `${ca[1]} ${ca[2]}`.toUpperCase() : country === 'US' ? t : code;
}

/** The US/CA area and postal-code checks as a zod refinement, for every address schema. */
export const checkArea = (
  value: {
    country?: string | undefined;
    administrativeArea?: string | undefined;
    postalCode?: string | undefined;
  },
  ctx: z.RefinementCtx,
) => {
  if (!isValidAdministrativeArea(value.country, value.administrativeArea)) {
    ctx.addIssue({
      code: 'custom',
      message: `expected a ${value.country} state, province or territory code`,
      path: ['administrativeArea'],
    });
  }
  if (!isValidPostalCode(value.country, value.postalCode)) {
    ctx.addIssue({
      code: 'custom',
      message:
        value.country === 'US'
          ? 'expected a US ZIP code: 5 digits, or 5 digits, a dash and 4'
          : 'expected a Canadian postal code like K1A 0B1',
      path: ['postalCode'],
    });
  }
};

/**
 * The `billTo` fields a payment takes beyond TMS's (SPEC2020 `/pts/v2/payments`
 * `orderInformation.billTo`; some processor-specific, e.g. `district` and `buildingNumber` for
 * Cielo, which CyberSource's own Microform sample sends). Accepted on a payment, never vaulted.
 */
/** The payment's own name and street fields that `billTo` and `shipTo` both take. */
const PaymentOnlyAddress = {
  title: z.string().min(1).max(60).optional(),
  middleName: z.string().min(1).max(60).optional(),
  district: z.string().min(1).max(50).optional(),
  buildingNumber: z.string().min(1).max(256).optional(),
};

const PaymentOnlyBillTo = {
  ...PaymentOnlyAddress,
  nameSuffix: z.string().min(1).max(60).optional(),
  address3: z.string().min(1).max(60).optional(),
  address4: z.string().min(1).max(60).optional(),
  emailDomain: z.string().min(1).max(100).optional(),
  phoneType: z.enum(['day', 'home', 'night', 'work']).optional(),
};

/**
 * Where a payment's limits are tighter than TMS's (SPEC2020 `/pts/v2/payments`
 * `orderInformation.billTo.email` maxLength 255, `.phoneNumber` 15, as the field reference's
 * "bill-to-phone-number" page gives it; a payment instrument takes 320 and 32). A sale carries
 * the address before TOKEN_CREATE vaults it, so these bound what a payment may send.
 */
export const paymentContactLimits = {
  email: z.email().max(255).optional(),
  phoneNumber: z.string().min(6).max(15).optional(),
};

/** `orderInformation.billTo`: the TMS billing fields and the payment's own, strict, with the US/CA area check. */
export const PaymentBillTo = BillTo.extend({
  ...PaymentOnlyBillTo,
  ...paymentContactLimits,
}).superRefine(checkArea);
export type PaymentBillTo = z.infer<typeof PaymentBillTo>;

/**
 * What TOKEN_CREATE keeps of a payment's `billTo` or `shipTo`: the fields a payment instrument's
 * billing address and a shipping address token both have.
 */
export function vaultedBillTo(b: PaymentBillTo | PaymentShipTo): BillTo {
  const kept: Record<string, string> = {};
  for (const key of BillTo.keyof().options) {
    const value = b[key];
    if (value !== undefined) kept[key] = value;
  }
  return kept;
}

/**
 * `orderInformation.shipTo` (NODE `Ptsv2paymentsOrderInformationShipTo.md`): TMS's shipping
 * address fields (NODE `DefaultShippingAddressShipTo`: the same as a billing address, email and
 * phone included), which TOKEN_CREATE's `shippingAddress` vaults, and the payment's own extras,
 * never vaulted. Strict, with the US/CA area check.
 */
export const PaymentShipTo = BillTo.extend({
  ...PaymentOnlyAddress,
  ...paymentContactLimits,
  county: z.string().min(1).max(50).optional(),
  destinationTypes: z.string().min(1).max(25).optional(),
  // 01–07 in the model's list, sent as a number.
  destinationCode: z.number().int().min(1).max(99).optional(),
  method: z
    .enum(['lowcost', 'sameday', 'oneday', 'twoday', 'threeday', 'pickup', 'other', 'none'])
    .optional(),
}).superRefine(checkArea);
export type PaymentShipTo = z.infer<typeof PaymentShipTo>;
