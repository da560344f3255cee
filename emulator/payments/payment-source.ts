/**
 * @module Which card a payment request pays with: a raw card, a transient token
 * (`tokenInformation.transientTokenJwt`), or TMS tokens (customer / payment instrument /
 * instrument identifier) (API-FACTS §2.2).
 *
 * Exactly one source is allowed; mixing a card number with a token is refused (stricter than
 * the docs, which only say request fields override token data). A token that is invalid,
 * expired, already used or another merchant's is refused with 400 INVALID_DATA on
 * `tokenInformation.transientTokenJwt` [inferred: the real body for this case is not known].
 */
import type { PaymentRequest } from '../../cybersource/payments/index.ts';
import type { TransientTokenRecord } from '../flex/store.ts';
import { redeemTransientToken } from '../flex/transient-tokens.ts';
import type { EmulatorState } from '../state.ts';
import { resolveStoredCard } from '../tms/vault.ts';
import type { FieldDetail } from './errors.ts';
import type { TmsEcho } from './store.ts';

export interface PaymentCard {
  number: string;
  /** '' when unknown: an instrument identifier paid with alone stores none (below). */
  expirationMonth: string;
  expirationYear: string;
  securityCode?: string;
  /** `card.type` as requested (or stored on the payment instrument). */
  requestedType?: string;
  /** Types detected when the token was minted. */
  tokenTypes: string[];
}

export interface PaymentSource {
  kind: 'card' | 'transientToken' | 'tms';
  card: PaymentCard;
  tms: TmsEcho;
  token?: TransientTokenRecord;
}

export type SourceResult = { ok: true; source: PaymentSource } | { ok: false; detail: FieldDetail };

const bad = (field: string, reason: FieldDetail['reason'] = 'INVALID_DATA'): SourceResult => ({
  ok: false,
  detail: { field, reason },
});

const F = {
  number: 'paymentInformation.card.number',
  month: 'paymentInformation.card.expirationMonth',
  year: 'paymentInformation.card.expirationYear',
  token: 'tokenInformation.transientTokenJwt',
  /**
   * A transient token sent well-formed but not one to pay with (unknown, expired, another
   * merchant's, spent): the real sandbox names its id, not the field it came in, as a shopper's
   * stale token showed it ("details":[{"field":"tokenInformation.jti","reason":"INVALID_DATA"}],
   * CyberSource/cybersource-rest-samples-node issue #66).
   */
  jti: 'tokenInformation.jti',
  customer: 'paymentInformation.customer.id',
  pi: 'paymentInformation.paymentInstrument.id',
  ii: 'paymentInformation.instrumentIdentifier.id',
} as const;

type Card = NonNullable<NonNullable<PaymentRequest['paymentInformation']>['card']>;

/**
 * Request fields override what the token or the stored instrument carry (API-FACTS §2.2).
 * `expiryOptional`: a card with no expiry anywhere is still a card (undefined otherwise).
 */
function withOverrides(
  base: Omit<PaymentCard, 'tokenTypes'> & { tokenTypes?: string[] },
  card: Card | undefined,
  expiryOptional = false,
): PaymentCard | undefined {
  const month = card?.expirationMonth ?? base.expirationMonth;
  const year = card?.expirationYear ?? base.expirationYear;
  const known = month && year;
  const none = !month && !year;
  if (!known && !(expiryOptional && none)) return undefined;
  const securityCode = card?.securityCode ?? base.securityCode;
  const requestedType = card?.type ?? base.requestedType;
  return {
    number: base.number,
    expirationMonth: month,
    expirationYear: year,
    tokenTypes: base.tokenTypes ?? [],
    ...(securityCode ? { securityCode } : {}),
    ...(requestedType ? { requestedType } : {}),
  };
}

/** Resolves the source; the only `await` is the token signature check, before any state changes. */
export async function resolveSource(
  state: EmulatorState,
  merchantId: string,
  req: PaymentRequest,
): Promise<SourceResult> {
  const pi = req.paymentInformation;
  const card = pi?.card;
  const jwt = req.tokenInformation?.transientTokenJwt;
  const tmsRefs = {
    ...(pi?.customer ? { customerId: pi.customer.id } : {}),
    ...(pi?.paymentInstrument ? { paymentInstrumentId: pi.paymentInstrument.id } : {}),
    ...(pi?.instrumentIdentifier ? { instrumentIdentifierId: pi.instrumentIdentifier.id } : {}),
  };
  const usesTms = Object.keys(tmsRefs).length > 0;
  const vaulting = req.processingInformation?.actionList?.includes('TOKEN_CREATE') ?? false;
  // TOKEN_CREATE with an existing customer id adds a new card to that customer (API-FACTS §2.3).
  const tmsIsTarget =
    vaulting && usesTms && !tmsRefs.paymentInstrumentId && !tmsRefs.instrumentIdentifierId;
  const sources = [card?.number !== undefined, jwt !== undefined, usesTms && !tmsIsTarget].filter(
    Boolean,
  ).length;
  if (sources === 0) return bad(F.number, 'MISSING_FIELD');
  if (sources > 1) return bad(jwt !== undefined && card?.number !== undefined ? F.number : F.token);

  if (card?.number !== undefined) {
    if (!card.expirationMonth) return bad(F.month, 'MISSING_FIELD');
    if (!card.expirationYear) return bad(F.year, 'MISSING_FIELD');
    const resolved = withOverrides(
      { number: card.number, expirationMonth: '', expirationYear: '' },
      card,
    );
    return resolved
      ? { ok: true, source: { kind: 'card', card: resolved, tms: {} } }
      : bad(F.month, 'MISSING_FIELD');
  }

  if (jwt !== undefined) {
    const redeemed = await redeemTransientToken(state.flex, merchantId, jwt, state.now());
    if (!redeemed.ok) return bad(F.jti);
    const t = redeemed.record.card;
    const resolved = withOverrides(
      {
        number: t.number,
        expirationMonth: t.expirationMonth,
        expirationYear: t.expirationYear,
        tokenTypes: t.types,
        ...(t.securityCode ? { securityCode: t.securityCode } : {}),
      },
      card,
    );
    if (!resolved) return bad(F.month, 'MISSING_FIELD');
    return {
      ok: true,
      source: { kind: 'transientToken', card: resolved, tms: {}, token: redeemed.record },
    };
  }

  if (tmsRefs.customerId && tmsRefs.instrumentIdentifierId && !tmsRefs.paymentInstrumentId)
    return bad(F.ii);
  const stored = resolveStoredCard(state.tms, merchantId, tmsRefs);
  if ('error' in stored) {
    switch (stored.error) {
      case 'customerNotFound':
        return bad(F.customer);
      case 'noDefaultPaymentInstrument':
        return bad(F.pi, 'MISSING_FIELD');
      case 'paymentInstrumentNotFound':
        return bad(F.pi);
      case 'instrumentIdentifierNotFound':
        return bad(F.ii);
    }
  }
  // The instrument identifier stores no expiry date. Paid with alone, it needs none: the TMS
  // guide's "REST Example: Authorizing a Payment with an Instrument Identifier" sends the id
  // only and is AUTHORIZED, as is SAMPLES `authorization-with-tms-token-bypassing-network-token.js`
  // (API-FACTS §2.2 lists the expiry beside it, from an older payments-guide example that sends
  // one). [Decision: accepted without; one month without its year is still refused.]
  const resolved = withOverrides(
    {
      number: stored.number,
      expirationMonth: stored.expirationMonth ?? '',
      expirationYear: stored.expirationYear ?? '',
      ...(stored.type ? { requestedType: stored.type } : {}),
    },
    card,
    !stored.paymentInstrumentId,
  );
  if (!resolved) return bad(card?.expirationMonth ? F.year : F.month, 'MISSING_FIELD');
  const ii = stored.instrumentIdentifier;
  return {
    ok: true,
    source: {
      kind: 'tms',
      card: resolved,
      tms: {
        ...(stored.customerId ? { customerId: stored.customerId } : {}),
        ...(stored.paymentInstrumentId ? { paymentInstrumentId: stored.paymentInstrumentId } : {}),
        instrumentIdentifierId: ii.id,
        instrumentIdentifierState: ii.state,
        paymentAccountReference: ii.paymentAccountReference,
      },
    },
  };
}
