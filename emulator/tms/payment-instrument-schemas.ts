/**
 * @module Request schemas of the stand-alone `/tms/v1/paymentinstruments` endpoints as the
 * emulator reads them: the shared ones (`cybersource/tms/payment-instruments/schemas.ts`) with
 * `card.type` also taking the card-type names SPEC2020 documents for these two endpoints
 * (`"visa"`, `"american express"`, …). The official samples `create-payment-instrument-card.js`
 * and `update-payment-instrument.js` send `"visa"`; the current API reference and the customer
 * endpoints use 3-digit codes (API-FACTS §3.3). A name is stored, and answered, as its code.
 */
import { z } from 'zod';
import { CardTypeCode } from '../../cybersource/tms/common.ts';
import {
  CreatePaymentInstrumentRequest,
  PatchPaymentInstrumentRequest,
  PaymentInstrumentCard,
} from '../../cybersource/tms/payment-instruments/schemas.ts';

/**
 * SPEC2020 `POST|PATCH /tms/v1/paymentinstruments` `card.type`: every name with its code, as
 * listed there. Only these spellings (lower case, as listed) are taken; the real service's
 * tolerance for other spellings is unknown, so the emulator is the stricter.
 */
export const CARD_TYPE_NAMES = {
  visa: '001',
  mastercard: '002',
  'american express': '003',
  discover: '004',
  'diners club': '005',
  'carte blanche': '006',
  jcb: '007',
  optima: '008',
  'twinpay credit': '011',
  'twinpay debit': '012',
  walmart: '013',
  enroute: '014',
  'lowes consumer': '015',
  'home depot consumer': '016',
  mbna: '017',
  'dicks sportswear': '018',
  'casual corner': '019',
  sears: '020',
  jal: '021',
  disney: '023',
  'maestro uk domestic': '024',
  'sams club consumer': '025',
  'sams club business': '026',
  'bill me later': '028',
  bebe: '029',
  'restoration hardware': '030',
  'delta online': '031',
  solo: '032',
  'visa electron': '033',
  dankort: '034',
  laser: '035',
  'carte bleue': '036',
  'carta si': '037',
  'pinless debit': '038',
  'encoded account': '039',
  uatp: '040',
  household: '041',
  'maestro international': '042',
  'ge money uk': '043',
  'korean cards': '044',
  style: '045',
  jcrew: '046',
  'payease china processing ewallet': '047',
  'payease china processing bank transfer': '048',
  'meijer private label': '049',
  hipercard: '050',
  aura: '051',
  redecard: '052',
  elo: '054',
  'capital one private label': '055',
  'synchrony private label': '056',
  'costco private label': '057',
  mada: '060',
  'china union pay': '062',
  'falabella private label': '063',
} as const satisfies Record<string, string>;

type CardTypeName = keyof typeof CARD_TYPE_NAMES;
const isCardTypeName = (v: string): v is CardTypeName => Object.hasOwn(CARD_TYPE_NAMES, v);

/** A 3-digit code, or a SPEC2020 name turned into its code. */
export const StandaloneCardType = z
  .string()
  .refine(
    (v) => isCardTypeName(v) || CardTypeCode.safeParse(v).success,
    'expected a 3-digit card type code or a SPEC2020 card type name',
  )
  .transform((v) => (isCardTypeName(v) ? CARD_TYPE_NAMES[v] : v));

const StandaloneCard = PaymentInstrumentCard.extend({ type: StandaloneCardType });

export const CreateStandalonePaymentInstrument = CreatePaymentInstrumentRequest.extend({
  card: StandaloneCard,
});

export const PatchStandalonePaymentInstrument = PatchPaymentInstrumentRequest.extend({
  card: StandaloneCard.partial().optional(),
});
