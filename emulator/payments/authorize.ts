/**
 * @module `POST /pts/v2/payments`: authorization, or sale with `capture:true` (API-FACTS §2.2–2.6).
 *
 * Order: parse → request rules → resolve the card (the only `await`: a token's signature) →
 * then one synchronous stretch that checks duplicates, runs the trigger table, spends the
 * transient token, vaults the card and records the payment, so concurrent requests cannot
 * both spend one token or one `transactionId`.
 */
import { createHash } from 'node:crypto';
import type { Context } from 'hono';
import { PaymentRequest, toMinorUnits } from '../../cybersource/payments/index.ts';
import { markAuthorized } from '../flex/transient-tokens.ts';
import type { EmulatorDeps, EmulatorEnv } from '../http/env.ts';
import { hal } from '../http/respond.ts';
import { checkCard, isExpired } from './card.ts';
import { duplicateRequest, fieldError, invalidRequest, serverError } from './errors.ts';
import { paymentBody, type TokenCreated } from './payment-body.ts';
import { buildPayment } from './payment-record.ts';
import { resolveSource } from './payment-source.ts';
import {
  checkRequestRules,
  missingAddressFields,
  PREVIOUS_TRANSACTION_ID,
} from './request-rules.ts';
import { vault } from './token-create.ts';
import { sandboxOutcome } from './triggers.ts';
import { parseBody } from './validate.ts';

const fingerprint = (pan: string) => createHash('sha256').update(pan).digest('hex');

export function authorize({ state, config }: EmulatorDeps) {
  return async (c: Context<EmulatorEnv>): Promise<Response> => {
    const merchantId = c.get('merchantId');
    const ts = () => state.submitTimeUtc();
    const parsed = await parseBody(c, PaymentRequest, ts);
    if (!parsed.ok) return parsed.response;
    const req = parsed.value;
    const { currency: rawCurrency, totalAmount } = req.orderInformation.amountDetails;
    const currency = rawCurrency.toUpperCase();
    const totalMinor = toMinorUnits(totalAmount, currency) ?? 0;
    const rule = checkRequestRules(req, totalMinor);
    if (rule) return invalidRequest(c, ts(), rule.reason, rule.detail ? [rule.detail] : []);

    const resolved = await resolveSource(state, merchantId, req);
    if (!resolved.ok) return fieldError(c, ts(), resolved.detail.field, resolved.detail.reason);
    const source = resolved.source;
    // A payment instrument (or a customer's) carries the address vaulted with it; an instrument
    // identifier holds the card number only.
    if (!config.relaxedAddress && !source.tms.paymentInstrumentId) {
      const missing = missingAddressFields(req);
      if (missing.length > 0) return invalidRequest(c, ts(), 'MISSING_FIELD', missing);
    }

    // ---- synchronous from here on: every check sits next to its write ----
    const now = state.now();
    const cri = req.clientReferenceInformation;
    if (cri?.transactionId && state.payments.byTransactionId(merchantId, cri.transactionId)) {
      return duplicateRequest(c, ts());
    }
    if (source.token?.authorizedBy) return fieldError(c, ts(), 'tokenInformation.jti');
    const print = fingerprint(source.card.number);
    const initiator = req.processingInformation?.authorizationOptions?.initiator;
    if (initiator?.type === 'merchant') {
      // An id of one of our own payments must be an approved stored-credential payment of this
      // merchant with the same card. An id we never issued is accepted: credentials migrated
      // from another processor cite that processor's ids, and CyberSource's own MIT samples
      // send a made-up one ('123456789012345'). A card number must come with one. A TMS
      // payment without one cites the id TMS keeps with the card, checked the same way: the MIT
      // required-field lists "with TMS" have no `previousTransactionId`, and a customer, payment
      // instrument or instrument identifier token "eliminates the need to include … the
      // previous transaction's ID" (developer.cybersource.com
      // `credentials-recur-mit-tms-reqfields`, `credentials-cit-initial-tms-intro`). With none
      // kept either it is refused as if the field were required [inferred: what CyberSource does
      // then is not documented, and an MIT citing nothing is one a network may not honour].
      const iiId = source.tms.instrumentIdentifierId;
      const cited =
        initiator.merchantInitiatedTransaction?.previousTransactionId ??
        (iiId ? state.tms.instrumentIdentifiers.get(iiId)?.previousTransactionId : undefined);
      if (!cited)
        return invalidRequest(c, ts(), 'MISSING_FIELD', [
          { field: PREVIOUS_TRANSACTION_ID, reason: 'MISSING_FIELD' },
        ]);
      const previous = state.payments.byNetworkTransactionId(merchantId, cited);
      if (
        previous &&
        (previous.status === 'DECLINED' ||
          !previous.storedCredential ||
          previous.card.fingerprint !== print)
      ) {
        return fieldError(c, ts(), PREVIOUS_TRANSACTION_ID);
      }
    }
    const vaultInto = req.paymentInformation?.customer?.id;
    const vaulting = req.processingInformation?.actionList?.includes('TOKEN_CREATE') ?? false;
    if (vaulting && vaultInto) {
      const customer = state.tms.customers.get(vaultInto);
      if (!customer || customer.merchantId !== merchantId)
        return fieldError(c, ts(), 'paymentInformation.customer.id');
    }
    const card = checkCard(source.card.number, source.card.requestedType, source.card.tokenTypes);
    if (!card.ok) return fieldError(c, ts(), 'paymentInformation.card.type');

    const authOptions = req.processingInformation?.authorizationOptions;
    const outcome = sandboxOutcome({
      number: source.card.number,
      securityCode: source.card.securityCode,
      totalMinor,
      currency,
      expired: isExpired(source.card.expirationMonth, source.card.expirationYear, now),
      invalidNumber: card.invalidNumber,
      partialAuthIndicator: authOptions?.partialAuthIndicator,
      ignoreAvsResult: authOptions?.ignoreAvsResult,
      ignoreCvResult: authOptions?.ignoreCvResult,
    });
    if (outcome.kind === 'error' && !outcome.processed) return serverError(c, ts(), outcome.reason);

    const payment = buildPayment(
      merchantId,
      now,
      ts(),
      req,
      source,
      card.type,
      print,
      totalMinor,
      currency,
      outcome,
    );
    // A risk decline holds the issuer's approval but is no sale: nothing is vaulted and the
    // transient token stays usable, as after a decline [inferred].
    const approved = payment.status !== 'DECLINED' && payment.status !== 'AUTHORIZED_RISK_DECLINED';
    let tokenCreated: TokenCreated | undefined;
    if (approved) {
      if (source.token) markAuthorized(source.token, payment.id);
      if (vaulting) tokenCreated = vault(state, merchantId, req, source, card.type, payment, now);
      const iiId = payment.tms.instrumentIdentifierId;
      const ii = iiId ? state.tms.instrumentIdentifiers.get(iiId) : undefined;
      // TMS remembers the first stored-credential payment for later MITs (API-FACTS §3.3).
      const ntid = payment.networkTransactionId;
      if (ii && ntid && payment.storedCredential === 'initial') ii.previousTransactionId = ntid;
    }
    state.payments.add(payment);
    if (outcome.kind === 'error') return serverError(c, ts(), outcome.reason);
    return hal(c, paymentBody(payment, tokenCreated), 201);
  };
}
