/**
 * @module Applying create and PATCH bodies to a stored payment instrument, shared by the
 * stand-alone v1 and the customer v2 endpoints. PATCH merges field by field inside each object.
 */
import type { PaymentInstrument, StoredCard } from './store.ts';

type CardFields = {
  expirationMonth?: string | undefined;
  expirationYear?: string | undefined;
  type?: string | undefined;
};

export interface PaymentInstrumentFields {
  card?: CardFields | undefined;
  billTo?: Record<string, string | undefined> | undefined;
  buyerInformation?: Record<string, string | undefined> | undefined;
}

function mergeStrings(
  into: Record<string, unknown> | undefined,
  patch: Record<string, string | undefined>,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(into ?? {})) if (typeof v === 'string') out[k] = v;
  for (const [k, v] of Object.entries(patch)) if (v !== undefined) out[k] = v;
  return out;
}

function mergeCard(into: StoredCard, card: CardFields): StoredCard {
  const out: StoredCard = { ...into };
  if (card.expirationMonth !== undefined) out.expirationMonth = card.expirationMonth;
  if (card.expirationYear !== undefined) out.expirationYear = card.expirationYear;
  if (card.type !== undefined) out.type = card.type;
  return out;
}

/** The stored fields of a new instrument (create bodies carry a full `card`). */
export function newFields(
  fields: PaymentInstrumentFields,
): Pick<PaymentInstrument, 'card' | 'billTo' | 'buyerInformation'> {
  return {
    card: mergeCard({}, fields.card ?? {}),
    ...(fields.billTo ? { billTo: mergeStrings(undefined, fields.billTo) } : {}),
    ...(fields.buyerInformation
      ? { buyerInformation: mergeStrings(undefined, fields.buyerInformation) }
      : {}),
  };
}

/** PATCH: each given field replaces the stored one; absent fields stay. */
export function applyPatch(pi: PaymentInstrument, fields: PaymentInstrumentFields): void {
  if (fields.card) pi.card = mergeCard(pi.card, fields.card);
  if (fields.billTo) pi.billTo = mergeStrings(pi.billTo, fields.billTo);
  if (fields.buyerInformation) {
    pi.buyerInformation = mergeStrings(pi.buyerInformation, fields.buyerInformation);
  }
}
