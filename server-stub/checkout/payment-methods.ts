/**
 * @module A shopper's saved cards (DESIGN.md flow table): TMS is the source of truth for the
 * list (`GET /tms/v2/customers/{id}/payment-instruments`); our table says whose card is whose,
 * so a shopper can only ever touch instruments of their own customer.
 */
import type { PaymentInstrument } from '../../cybersource/tms/payment-instruments/index.ts';
import { listCustomerPaymentInstruments } from '../cybersource/tms-customers.ts';
import {
  deleteCustomerPaymentInstrument,
  setDefaultCustomerPaymentInstrument,
} from '../cybersource/tms-payment-instruments.ts';
import { TransportError } from '../cybersource/transport-error.ts';
import { StubError, stubError } from '../errors.ts';
import { claimRemoval, releaseRemoval } from '../store/payment-method-removal.ts';
import {
  deletePaymentMethod,
  findShopperPaymentMethod,
  listShopperPaymentMethods,
  markDefaultChosen,
  saveOrFindPaymentMethod,
} from '../store/payment-methods.ts';
import { isBeingRemoved } from '../store/removal-hold.ts';
import type { PaymentMethodRow } from '../store/rows.ts';
import { findShopper } from '../store/shoppers.ts';
import { renewingPaymentMethods } from '../store/subscriptions.ts';
import { brandOf, last4Of } from './card-brand.ts';
import type { CheckoutContext } from './context.ts';
import { forgetCustomerIfGone } from './customer-gone.ts';
import { errorSummary } from './sessions.ts';

export interface PaymentMethodView {
  id: string;
  brand: string;
  last4: string;
  expirationMonth: string | null;
  expirationYear: string | null;
  default: boolean;
}

/**
 * The shopper's saved cards, as TMS lists them. Usually all in one TMS customer; a shopper can
 * have two when two first saves each made one (a first save held for review while another
 * purchase kept a card; `keepNewCard`): the other customer's cards are listed too, after the
 * shopper's own, so a card kept there (and the subscription renewing with it) is neither hidden
 * nor forgotten as gone from the first customer's list. A card kept in both is shown once: the
 * copy a live subscription renews with, else the shopper's customer's (removing it removes both,
 * `removePaymentMethod`). TMS keeps a default per customer: the one shown is `shownDefault`.
 */
export async function listPaymentMethods(
  ctx: CheckoutContext,
  shopperId: string,
  requestId: string,
): Promise<PaymentMethodView[]> {
  const shopper = await findShopper(ctx.db, shopperId);
  if (!shopper) return [];
  const cached = await listShopperPaymentMethods(ctx.db, shopperId);
  // The shopper's customer, and any other their cards are in: also when theirs is gone (TMS
  // deleted it, `forgetCustomerIfGone`) and the other still holds a card.
  const customers = new Set([
    ...(shopper.customer_id ? [shopper.customer_id] : []),
    ...cached.map((m) => m.customer_id),
  ]);
  const listed: Copy[] = [];
  let read = 0;
  let failure: unknown;
  for (const customerId of customers) {
    const own = cached.filter((m) => m.customer_id === customerId);
    try {
      const cards = await listCustomerCards(ctx, shopperId, customerId, own, requestId);
      listed.push(...cards.map((c) => ({ ...c, customer: customerId })));
      read += 1;
    } catch (err) {
      // The shopper's own customer failing fails the list (the widget says the cards cannot be
      // shown now); another one's cards are left out this time, and none of them forgotten.
      if (customerId === shopper.customer_id) throw err;
      failure ??= err;
      ctx.logger.warn(
        { requestId, customerId, err: errorSummary(err) },
        "could not list the shopper's other TMS customer; its cards are left out of this list",
      );
    }
  }
  // None read (the shopper's own customer gone, the other failing): cannot be shown, not "none".
  if (read === 0 && failure !== undefined) throw failure;
  return oneViewPerCard(ctx, shopperId, listed, cached, [...customers][0]);
}

/** One customer's copy of a card (`card`: its instrument identifier), as TMS lists it. */
interface Copy {
  view: PaymentMethodView;
  card: string;
  customer: string;
}

/** Each card once (the copy a live subscription renews with, else the first), one default. */
async function oneViewPerCard(
  ctx: CheckoutContext,
  shopperId: string,
  listed: Copy[],
  rows: PaymentMethodRow[],
  ownCustomer: string | undefined,
): Promise<PaymentMethodView[]> {
  const views: PaymentMethodView[] = [];
  /** Each shown card's copies, one per customer that holds it. */
  const copies: Copy[][] = [];
  const at = new Map<string, number>();
  let renewing: Set<string> | undefined;
  for (const copy of listed) {
    const i = at.get(copy.card);
    if (i === undefined) {
      at.set(copy.card, views.length);
      views.push(copy.view);
      copies.push([copy]);
      continue;
    }
    copies[i]?.push(copy);
    renewing ??= await renewingPaymentMethods(ctx.db, shopperId);
    const shown = views[i];
    if (shown && renewing.has(copy.view.id) && !renewing.has(shown.id)) views[i] = copy.view;
  }
  const only = shownDefault(copies, rows, ownCustomer);
  return views.map((v, i) => (v.default === (i === only) ? v : { ...v, default: i === only }));
}

/**
 * Which card (its index) is shown as the default. TMS keeps one per customer, so a card is a
 * default when a copy of it is. With every card in one customer, TMS's. With two customers,
 * two: the card kept last since the shopper last made one the default (a card kept is made its
 * customer's default, `payment-requests.ts`, as the shopper who just paid with it expects),
 * else the card chosen (migration 026) while TMS still says the copy chosen is, else the
 * shopper's own customer's.
 */
function shownDefault(copies: Copy[][], rows: PaymentMethodRow[], own?: string): number {
  const defaults = copies.flatMap((c, i) => (c.some((copy) => copy.view.default) ? [i] : []));
  if (defaults.length < 2) return defaults[0] ?? -1;
  const defaultCopy = (i: number, match: (copy: Copy) => boolean) =>
    !!copies[i]?.some((copy) => copy.view.default && match(copy));
  const owns = defaults.find((i) => defaultCopy(i, (copy) => copy.customer === own));
  const fallback = owns ?? defaults[0] ?? -1;
  let chosen: { id: string; at: number } | undefined;
  for (const r of rows) {
    const at = r.default_chosen_at?.getTime();
    if (at !== undefined && !(chosen && chosen.at >= at)) chosen = { id: r.id, at };
  }
  if (!chosen) return fallback;
  const { id, at } = chosen;
  // A copy not in our rows when the list began was kept meanwhile: the latest of all.
  const keptAt = new Map(rows.map((r) => [r.id, r.created_at.getTime()]));
  let latest = -1;
  let latestAt = at;
  for (const i of defaults)
    for (const copy of copies[i] ?? []) {
      const kept = keptAt.get(copy.view.id) ?? Number.POSITIVE_INFINITY;
      if (copy.view.default && kept > latestAt) [latest, latestAt] = [i, kept];
    }
  if (latest >= 0) return latest;
  return defaults.find((i) => defaultCopy(i, (copy) => copy.view.id === id)) ?? fallback;
}

/**
 * One TMS customer's cards; `own`, the shopper's cards we keep in it, read before TMS answered
 * (a card kept after that answer is never forgotten by it).
 */
async function listCustomerCards(
  ctx: CheckoutContext,
  shopperId: string,
  customerId: string,
  own: PaymentMethodRow[],
  requestId: string,
): Promise<{ view: PaymentMethodView; card: string }[]> {
  const listedAt = ctx.now();
  let page: Awaited<ReturnType<typeof listCustomerPaymentInstruments>>;
  try {
    page = await listCustomerPaymentInstruments(ctx.client, customerId, requestId, ctx.logger);
  } catch (err) {
    const missing = err instanceof StubError && err.code === 'not_found';
    if (missing && (await forgetCustomerIfGone(ctx, shopperId, customerId, requestId))) return [];
    throw err;
  }
  const all = page._embedded?.paymentInstruments ?? [];
  const state = (pi: PaymentInstrument) => pi.state?.toUpperCase();
  const instruments = all.filter((pi) => state(pi) === 'ACTIVE');
  // A card is forgotten here only when TMS said so: on a page read whole (every item readable,
  // in a state we know, and no more pages). An odd answer lists what it could and forgets
  // nothing, or a shopper would lose a card TMS still keeps (and pays their renewals with).
  const whole =
    !page.skipped &&
    all.every((pi) => state(pi) === 'ACTIVE' || state(pi) === 'CLOSED') &&
    (page.total === undefined || page.total <= all.length);
  const cached = new Map(own.map((m) => [m.id, m]));
  const active = new Set(instruments.map((pi) => pi.id));
  const now = ctx.now();
  const views: PaymentMethodView[] = [];
  /** Each view's instrument identifier: the card itself, whichever customer keeps it. */
  const cardOf = new Map<string, string>();
  /** The kept card whose TMS duplicate is the default (see below). */
  let defaultByTwin: string | undefined;
  for (const pi of instruments) {
    let known = cached.get(pi.id) ?? (await rememberInstrument(ctx, shopperId, customerId, pi));
    if (known && known.id !== pi.id) {
      // TMS holds a card we keep under another instrument: a duplicate whose clean-up failed
      // (save-card.ts). Listed once, by the kept id, which pays and can be removed; a
      // duplicate that is TMS's default makes the kept card the default shown. If the kept
      // instrument is gone from TMS, this one takes its place.
      if (active.has(known.id) || !whole) {
        if (pi.default === true) defaultByTwin = known.id;
        continue;
      }
      await deletePaymentMethod(ctx.db, shopperId, known.id);
      cached.delete(known.id);
      known = await rememberInstrument(ctx, shopperId, customerId, pi);
    }
    cached.delete(pi.id);
    // A removal under way (or its delete's outcome unknown, for REMOVAL_HOLD_MS) holds it: it
    // could be neither paid with nor removed again, so it is not shown.
    if (!known || isBeingRemoved(known, now)) continue;
    cardOf.set(pi.id, known.instrument_identifier_id);
    views.push({
      id: pi.id,
      brand: known.brand,
      last4: known.last4,
      expirationMonth: pi.card?.expirationMonth ?? known.expiration_month,
      expirationYear: pi.card?.expirationYear ?? known.expiration_year,
      default: pi.default === true,
    });
  }
  if (defaultByTwin && !views.some((v) => v.default)) {
    const kept = views.find((v) => v.id === defaultByTwin);
    if (kept) kept.default = true;
  }
  // Gone from TMS: forget them here too, but not a card kept after TMS answered this list (a
  // payment in another tab): the page could not show it.
  if (whole)
    for (const stale of cached.values())
      if (stale.created_at < listedAt) await deletePaymentMethod(ctx.db, shopperId, stale.id);
  return views.map((view) => ({ view, card: cardOf.get(view.id) ?? view.id }));
}

/** Records a TMS payment instrument as the shopper's saved method (no-op without an identifier). */
export async function rememberInstrument(
  ctx: CheckoutContext,
  shopperId: string,
  customerId: string,
  pi: PaymentInstrument,
) {
  const identifierId = pi.instrumentIdentifier?.id;
  if (!identifierId) return undefined;
  return saveOrFindPaymentMethod(ctx.db, {
    id: pi.id,
    shopperId,
    customerId,
    instrumentIdentifierId: identifierId,
    brand: brandOf(pi.card?.type),
    last4: last4Of(pi._embedded?.instrumentIdentifier?.card?.number),
    expirationMonth: pi.card?.expirationMonth,
    expirationYear: pi.card?.expirationYear,
    createdAt: ctx.now(),
  });
}

async function ownMethod(ctx: CheckoutContext, shopperId: string, id: string) {
  const method = await findShopperPaymentMethod(ctx.db, shopperId, id);
  if (!method) throw stubError('payment_method_not_found');
  return method;
}

export async function removePaymentMethod(
  ctx: CheckoutContext,
  shopperId: string,
  id: string,
  requestId: string,
  /** False for the copy in another customer: one level, never recursing further. */
  alsoOtherCustomers = true,
) {
  // Renewals charge this instrument (API-FACTS §2.4): once TMS forgets it, every renewal is a
  // 400 INVALID_DATA, so a live subscription keeps its card until it is canceled or moved. The
  // claim holds the card through the TMS calls below: a payment or a subscription starting on
  // it meanwhile is refused, and one already under way refuses the claim (migration 012).
  const since = ctx.now();
  const claim = await claimRemoval(ctx.db, shopperId, id, since);
  if ('refused' in claim) {
    if (claim.refused === 'subscription')
      throw stubError('payment_method_in_use', {
        details: { subscriptions: claim.subscriptions },
      });
    throw stubError(
      claim.refused === 'payment' ? 'payment_in_progress' : 'payment_method_not_found',
    );
  }
  const method = claim.claimed;
  let deleting = false;
  try {
    const copies = await copiesToDelete(ctx, method, requestId);
    deleting = true;
    for (const copy of copies)
      await deleteCustomerPaymentInstrument(ctx.client, method.customer_id, copy, requestId);
  } catch (err) {
    // Nothing deleted: the card is the shopper's again. A delete whose outcome is unknown (a
    // timeout, a 5xx, a dropped connection) keeps the claim until it lapses: TMS may have
    // deleted the card, and nothing may start on it meanwhile.
    if (!deleting || refusedForSure(err))
      await releaseRemoval(ctx.db, method.id, since).catch((e: unknown) =>
        ctx.logger.warn({ requestId, err: errorSummary(e) }, 'could not release a removal claim'),
      );
    throw err;
  }
  await deletePaymentMethod(ctx.db, shopperId, method.id);
  if (!alsoOtherCustomers) return;
  // The same card kept in the shopper's other TMS customer is listed as this one: it goes too,
  // or the next list would show the card again. Only copies in another customer: a card kept
  // again meanwhile in this one (`takeOverRemovedCard`) is the shopper's.
  // Never an error here: TMS has already deleted the card the shopper asked to remove.
  try {
    const others = (await listShopperPaymentMethods(ctx.db, shopperId)).filter(
      (m) =>
        m.instrument_identifier_id === method.instrument_identifier_id &&
        m.customer_id !== method.customer_id,
    );
    for (const copy of others)
      await removePaymentMethod(ctx, shopperId, copy.id, requestId, false).catch((err: unknown) =>
        ctx.logger.warn(
          { requestId, paymentMethodId: copy.id, err: errorSummary(err) },
          'could not remove the same card kept in the other TMS customer; it is listed again',
        ),
      );
  } catch (err) {
    ctx.logger.warn(
      { requestId, err: errorSummary(err) },
      "could not look for the card's copy in the other TMS customer",
    );
  }
}

/** CyberSource answered and refused: the request changed nothing. */
const REFUSALS = new Set([
  'gateway_invalid_request',
  'gateway_authentication_failed',
  'gateway_encryption_refused',
  'gateway_profile_not_found',
  'gateway_conflict',
  'gateway_throttled',
]);
const refusedForSure = (err: unknown) =>
  (err instanceof StubError && REFUSALS.has(err.code)) ||
  (err instanceof StubError && err.cause instanceof TransportError && !err.cause.sent);

/**
 * The TMS instruments that are this card, in an order TMS can delete them: the kept one and any
 * duplicate a failed clean-up left (save-card.ts; the list shows it as the kept card), or the
 * next list would bring the card back as a new one. "The default … cannot be deleted without
 * first selecting a new default Payment Instrument" (NODE `CustomerPaymentInstrumentApi.md`; the
 * status of that refusal is not documented): so another card is made the default first when a
 * copy going is the default; with no other card left, the default copy goes last, alone.
 */
async function copiesToDelete(
  ctx: CheckoutContext,
  method: PaymentMethodRow,
  requestId: string,
): Promise<string[]> {
  const page = await listCustomerPaymentInstruments(
    ctx.client,
    method.customer_id,
    requestId,
    ctx.logger,
  );
  const active = (page._embedded?.paymentInstruments ?? []).filter((pi) => pi.state === 'ACTIVE');
  const isCopy = (pi: PaymentInstrument) =>
    pi.id === method.id || pi.instrumentIdentifier?.id === method.instrument_identifier_id;
  const copies = active.filter(isCopy).map((pi) => ({ id: pi.id, isDefault: pi.default === true }));
  // Not on the page (one odd item, or more than a page): deleted all the same.
  if (!copies.some((c) => c.id === method.id)) copies.push({ id: method.id, isDefault: false });
  const next = active.find((pi) => !isCopy(pi));
  if (next && copies.some((c) => c.isDefault))
    await setDefaultCustomerPaymentInstrument(ctx.client, method.customer_id, next.id, requestId);
  return copies
    .sort((a, b) => Number(a.isDefault && !next) - Number(b.isDefault && !next))
    .map((c) => c.id);
}

export async function makeDefaultPaymentMethod(
  ctx: CheckoutContext,
  shopperId: string,
  id: string,
  requestId: string,
): Promise<PaymentMethodView> {
  const method = await ownMethod(ctx, shopperId, id);
  const pi = await setDefaultCustomerPaymentInstrument(
    ctx.client,
    method.customer_id,
    method.id,
    requestId,
  );
  // TMS's default is per customer: a shopper with cards in two is shown the one chosen last.
  await markDefaultChosen(ctx.db, shopperId, method.id, ctx.now());
  return {
    id: method.id,
    brand: method.brand,
    last4: method.last4,
    expirationMonth: pi.card?.expirationMonth ?? method.expiration_month,
    expirationYear: pi.card?.expirationYear ?? method.expiration_year,
    default: pi.default ?? true,
  };
}
