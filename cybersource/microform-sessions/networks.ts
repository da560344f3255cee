/**
 * @module `allowedCardNetworks` and `allowedPaymentTypes` values of the sessions request
 * (API-FACTS §5.1, NODE `docs/GenerateCaptureContextRequest.md`).
 */

/** Every network CyberSource documents for Microform, in its documented order. */
export const DOCUMENTED_CARD_NETWORKS = [
  'VISA',
  'MASTERCARD',
  'AMEX',
  'CARNET',
  'CARTESBANCAIRES',
  'CUP',
  'DINERSCLUB',
  'DISCOVER',
  'EFTPOS',
  'ELO',
  'JAYWAN',
  'JCB',
  'JCREW',
  'KCP',
  'MADA',
  'MAESTRO',
  'MEEZA',
  'PAYPAK',
  'UATP',
] as const;
export type DocumentedCardNetwork = (typeof DOCUMENTED_CARD_NETWORKS)[number];

/** Only these two; anything else (e.g. GOOGLEPAY) is a 400 [observed] (API-FACTS §5.1). */
export const PAYMENT_TYPES = ['CARD', 'CHECK'] as const;
export type PaymentType = (typeof PAYMENT_TYPES)[number];
