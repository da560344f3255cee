/**
 * @module Keeping a card after a TOKEN_CREATE payment (API-FACTS §2.3): record the shopper's
 * customer, and never keep the same card twice. The same card always maps to the same
 * instrument identifier (§3.2), so when the new payment instrument's identifier is one this
 * customer already holds, the new instrument is deleted in TMS and the old one kept (unless TMS
 * no longer has the old one: then the new one replaces it).
 */
import type { PaymentResponse } from '../../cybersource/payments/index.ts';
import { listCustomerPaymentInstruments } from '../cybersource/tms-customers.ts';
import {
  deleteCustomerPaymentInstrument,
  setDefaultCustomerPaymentInstrument,
} from '../cybersource/tms-payment-instruments.ts';
import { StubError } from '../errors.ts';
import { takeOverRemovedCard } from '../store/payment-method-removal.ts';
import {
  deletePaymentMethod,
  findByCard,
  findShopperPaymentMethod,
  markDefaultChosen,
  saveOrFindPaymentMethod,
  setPaymentMethodExpiry,
} from '../store/payment-methods.ts';
import { isBeingRemoved } from '../store/removal-hold.ts';
import type { PaymentMethodRow } from '../store/rows.ts';
import { setShopperCustomer } from '../store/shoppers.ts';
import { cardTypeOf } from './card-brand.ts';
import type { CheckoutContext } from './context.ts';
import { rememberInstrument } from './payment-methods.ts';
import { errorSummary } from './sessions.ts';

export interface CardFacts {
  instrumentLast4: string;
  brand: string;
  expirationMonth?: string;
  expirationYear?: string;
}

/**
 * `sentCustomerId`: the shopper's existing customer the payment named
 * (`paymentInformation.customer.id`), if any. The answer's `tokenInformation.customer` is "the
 * Customer token that was created as part of a bundled TOKEN_CREATE action" (NODE
 * `PtsV2PaymentsPost201ResponseTokenInformationCustomer.md`), so for a card added to an existing
 * customer it may be absent, and so may the `paymentInformation` echo [inferred, API-FACTS §2.3]:
 * the customer is then the one we sent.
 */
export async function keepNewCard(
  ctx: CheckoutContext,
  shopperId: string,
  response: PaymentResponse,
  cardFacts: CardFacts,
  sentCustomerId: string | undefined,
  requestId: string,
): Promise<{ paymentMethodId: string; customerId: string } | undefined> {
  const tokens = response.tokenInformation;
  const echoed = response.paymentInformation;
  const customerId = tokens?.customer?.id ?? echoed?.customer?.id ?? sentCustomerId;
  const instrumentId = tokens?.paymentInstrument?.id ?? echoed?.paymentInstrument?.id;
  const identifierId = tokens?.instrumentIdentifier?.id ?? echoed?.instrumentIdentifier?.id;
  if (!customerId || !instrumentId || !identifierId) {
    ctx.logger.warn(
      { requestId, cybersourceId: response.id },
      'TOKEN_CREATE answer lacks token ids; card not kept',
    );
    return undefined;
  }
  const winner = await setShopperCustomer(ctx.db, shopperId, customerId, ctx.now());
  // Two first saves whose sales both created a customer: two purchases at once, or one held for
  // review (its customer is recorded only once accepted) while the shopper bought something else
  // (migration 014). This card stays in the customer its sale made.
  if (winner !== customerId) {
    ctx.logger.warn(
      { requestId, shopperId, customerId, kept: winner },
      'shopper got a second TMS customer (two first saves, or one held for review): this card is in the other customer',
    );
  }

  let existing = await findByCard(ctx.db, customerId, identifierId);
  if (!existing && tokens?.instrumentidentifierNew === false) {
    existing = await findTwinInTms(
      ctx,
      shopperId,
      customerId,
      identifierId,
      instrumentId,
      requestId,
    );
  }
  const card = {
    id: instrumentId,
    shopperId,
    customerId,
    instrumentIdentifierId: identifierId,
    brand: cardFacts.brand,
    last4: cardFacts.instrumentLast4,
    expirationMonth: cardFacts.expirationMonth,
    expirationYear: cardFacts.expirationYear,
    createdAt: ctx.now(),
  };
  // The saved copy of this card is being removed (another tab): the new instrument is kept in
  // its place, never deleted as its duplicate (which would leave the shopper neither).
  if (existing && existing.id !== instrumentId && isBeingRemoved(existing, card.createdAt)) {
    const taken = await takeOverRemovedCard(ctx.db, existing.id, card);
    if (taken) {
      ctx.logger.info(
        { requestId, kept: taken.id },
        'card kept again while its saved copy is removed',
      );
      return { paymentMethodId: taken.id, customerId };
    }
    existing = await findByCard(ctx.db, customerId, identifierId);
  }
  // An instrument the shopper already keeps is never "the duplicate": an answer (or Details, for
  // the reconciler) naming a card the payment did not create must not delete a saved card.
  if (
    existing &&
    existing.id !== instrumentId &&
    (await findShopperPaymentMethod(ctx.db, shopperId, instrumentId))
  ) {
    ctx.logger.warn(
      { requestId, kept: existing.id, named: instrumentId },
      'TOKEN_CREATE named a card already kept; nothing deleted',
    );
    return { paymentMethodId: existing.id, customerId };
  }
  if (existing && existing.id !== instrumentId) {
    // The payment asked TOKEN_CREATE to make the new instrument, here a duplicate, the default
    // (payment-requests.ts: the shopper just chose this card). The card already kept takes that
    // place first: a default cannot be deleted while others exist (NODE
    // `CustomerPaymentInstrumentApi.md`), and the shopper's choice stands. The expiry is the
    // instrument's, not the identifier's (API-FACTS §3.3): a card reissued with the same number
    // brings its new one, which this payment was just approved with, so the kept instrument takes
    // it too; saved-card payments and renewals would otherwise go out with the old date.
    const { expirationMonth: month, expirationYear: year } = cardFacts;
    // With the card's type: the 2020 spec has `card.type` required on this PATCH (the SDK model
    // today makes it optional), and sending it satisfies both.
    const type = cardTypeOf(existing.brand);
    const renewed =
      month && year && (month !== existing.expiration_month || year !== existing.expiration_year)
        ? { expirationMonth: month, expirationYear: year, ...(type ? { type } : {}) }
        : undefined;
    let keptGone = false;
    try {
      await setDefaultCustomerPaymentInstrument(
        ctx.client,
        customerId,
        existing.id,
        requestId,
        renewed,
      );
      // Kept long ago, chosen now: the default shown when the shopper has two customers.
      await markDefaultChosen(ctx.db, shopperId, existing.id, ctx.now());
      if (renewed)
        await setPaymentMethodExpiry(
          ctx.db,
          existing.id,
          renewed.expirationMonth,
          renewed.expirationYear,
        );
      await deleteCustomerPaymentInstrument(ctx.client, customerId, instrumentId, requestId);
      ctx.logger.info(
        { requestId, kept: existing.id },
        'card already saved; duplicate instrument removed',
      );
    } catch (err) {
      // 404/410 on the kept one: TMS no longer has it (deleted there, or a removal whose delete
      // went through unanswered). The new instrument is the card now; the payment, a plan's
      // renewals and the list must name it, never the one gone.
      keptGone = err instanceof StubError && err.code === 'not_found' && !!existing;
      ctx.logger.error(
        { requestId, kept: existing.id, keptGone, err: errorSummary(err) },
        keptGone
          ? 'saved copy of this card is gone from TMS; the new instrument replaces it'
          : 'could not delete duplicate payment instrument; it is listed as the kept card',
      );
    }
    if (!keptGone) return { paymentMethodId: existing.id, customerId };
    await deletePaymentMethod(ctx.db, shopperId, existing.id);
  }
  const row = await saveOrFindPaymentMethod(ctx.db, card);
  return { paymentMethodId: row.id, customerId };
}

/** The customer's payment instruments TMS holds as ACTIVE (its first page, as TMS lists it). */
async function activeInstruments(ctx: CheckoutContext, customerId: string, requestId: string) {
  const page = await listCustomerPaymentInstruments(ctx.client, customerId, requestId, ctx.logger);
  return (page._embedded?.paymentInstruments ?? []).filter(
    (pi) => pi.state?.toUpperCase() === 'ACTIVE',
  );
}

/** The cache may be behind TMS (another process, a lost row): ask TMS for the same card. */
async function findTwinInTms(
  ctx: CheckoutContext,
  shopperId: string,
  customerId: string,
  identifierId: string,
  newInstrumentId: string,
  requestId: string,
): Promise<PaymentMethodRow | undefined> {
  try {
    const twin = (await activeInstruments(ctx, customerId, requestId)).find(
      (pi) => pi.id !== newInstrumentId && pi.instrumentIdentifier?.id === identifierId,
    );
    if (!twin) return undefined;
    return await rememberInstrument(ctx, shopperId, customerId, twin);
  } catch (err) {
    ctx.logger.warn(
      { requestId, err: errorSummary(err) },
      'could not check TMS for a duplicate card',
    );
    return undefined;
  }
}

/**
 * A sale with TOKEN_CREATE that was declined may still have vaulted its card: the emulator does
 * for a soft decline (the issuer approved; API-FACTS does not say what CyberSource does). TMS is
 * where the saved-card list comes from, so such a card would be listed and pay as a saved card,
 * which sends no security code: a card tester with a number and no code would get through. The
 * instrument the answer names is deleted, unless it is a card the shopper already keeps. Kept
 * cards are made the default (`payment-requests.ts`), and TMS refuses to delete the default while
 * another card remains (payment-methods.ts `copiesToDelete`): another card is made the default
 * first. Best effort: the decline is answered either way; a delete that fails is for an operator.
 */
export async function dropCardOfDeclinedSale(
  ctx: CheckoutContext,
  shopperId: string,
  response: PaymentResponse,
  sentCustomerId: string | undefined,
  requestId: string,
): Promise<void> {
  const tokens = response.tokenInformation;
  const instrumentId = tokens?.paymentInstrument?.id;
  const customerId = tokens?.customer?.id ?? sentCustomerId;
  if (!instrumentId || !customerId) return;
  if (await findShopperPaymentMethod(ctx.db, shopperId, instrumentId)) return;
  try {
    const active = await activeInstruments(ctx, customerId, requestId);
    const other = active.find((pi) => pi.id !== instrumentId);
    if (other && active.find((pi) => pi.id === instrumentId)?.default === true)
      await setDefaultCustomerPaymentInstrument(ctx.client, customerId, other.id, requestId);
    await deleteCustomerPaymentInstrument(ctx.client, customerId, instrumentId, requestId);
    ctx.logger.info(
      { requestId, cybersourceId: response.id },
      'declined sale had vaulted its card; instrument deleted',
    );
  } catch (err) {
    ctx.logger.error(
      { requestId, cybersourceId: response.id, customerId, err: errorSummary(err) },
      'declined sale vaulted its card and it could not be deleted: delete the instrument in the Business Center',
    );
  }
}
