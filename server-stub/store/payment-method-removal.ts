/**
 * @module Removing a saved card (checkout/payment-methods.ts): the claim that holds the card
 * through the removal's TMS calls (migration 012), so that nothing starts on a card TMS is
 * deleting, and its release when the removal did not happen.
 */
import type { Database, Queryable } from './database.ts';
import type { NewPaymentMethod } from './payment-methods.ts';
import { cardFree, isBeingRemoved, removalCutoff } from './removal-hold.ts';
import { firstOf, PaymentMethodRow } from './rows.ts';
import { listLiveSubscriptionsPaidBy } from './subscriptions.ts';

/**
 * A plan payment approved this recently (`updated_at`: a review accepted days later counts from
 * then) whose subscription is not written yet still holds its card: the flow after an approval
 * (`completeApprovedPayment`) may be about to start it.
 */
const UNSTARTED_PLAN_HOLD_MS = 60 * 60_000;

export type RemovalClaim =
  | { claimed: PaymentMethodRow }
  /** Not the shopper's card, or another removal holds it. */
  | { refused: 'not_found' }
  /** A live subscription renews on it. */
  | { refused: 'subscription'; subscriptions: { id: string; planId: string }[] }
  /** A payment with it is unresolved, or a plan paid with it is starting its subscription. */
  | { refused: 'payment' };

/**
 * Claims the shopper's card for removal, unless something still needs it. The row lock first,
 * then the checks, each its own statement in one transaction: a payment or subscription writing
 * against the card (they read it `FOR SHARE`) either committed before the checks, which then see
 * it, or waits for this transaction and then sees the claim. Under READ COMMITTED a statement
 * sees only what committed before it started, not what its own lock waited for, hence no single
 * statement.
 */
export async function claimRemoval(
  db: Database,
  shopperId: string,
  id: string,
  now: Date,
): Promise<RemovalClaim> {
  return db.transaction(async (tx) => {
    const row = firstOf(
      PaymentMethodRow,
      (
        await tx.query(
          'SELECT * FROM payment_methods WHERE id = $1 AND shopper_id = $2 FOR UPDATE',
          [id, shopperId],
        )
      ).rows,
    );
    if (!row || isBeingRemoved(row, now)) return { refused: 'not_found' };
    const live = await listLiveSubscriptionsPaidBy(tx, id);
    if (live.length > 0)
      return {
        refused: 'subscription',
        subscriptions: live.map((s) => ({ id: s.id, planId: s.plan_id })),
      };
    const paying = await tx.query(
      `SELECT 1 FROM payments WHERE payment_method_id = $1 AND (
         status IN ('pending', 'unknown', 'review')
         OR (kind = 'subscription_start' AND status = 'succeeded' AND subscription_id IS NULL
             AND updated_at > $2))
       LIMIT 1`,
      [id, new Date(now.getTime() - UNSTARTED_PLAN_HOLD_MS)],
    );
    if (paying.rows.length > 0) return { refused: 'payment' };
    await tx.query('UPDATE payment_methods SET removing_since = $2 WHERE id = $1', [id, now]);
    return { claimed: row };
  });
}

/** Gives the card back after a removal that did not happen (TMS refused it, nothing deleted). */
export async function releaseRemoval(db: Queryable, id: string, since: Date): Promise<void> {
  await db.query(
    'UPDATE payment_methods SET removing_since = NULL WHERE id = $1 AND removing_since = $2',
    [id, since],
  );
}

/**
 * The shopper kept anew (TOKEN_CREATE, a new instrument) the very card whose saved copy a
 * removal holds: the new instrument takes the row over, so it is the one kept, and the removal,
 * which deletes the old instrument in TMS and then the row by the old id, leaves it alone.
 * Undefined when the old row is not (or no longer) held by a removal.
 */
export async function takeOverRemovedCard(
  db: Queryable,
  oldId: string,
  m: NewPaymentMethod,
): Promise<PaymentMethodRow | undefined> {
  return firstOf(
    PaymentMethodRow,
    (
      await db.query(
        `UPDATE payment_methods SET id = $2, brand = $4, last4 = $5, expiration_month = $6,
           expiration_year = $7, created_at = $8, removing_since = NULL,
           default_chosen_at = NULL
         WHERE id = $1 AND shopper_id = $3 AND NOT ${cardFree('$9')}
         RETURNING *`,
        [
          oldId,
          m.id,
          m.shopperId,
          m.brand,
          m.last4,
          m.expirationMonth ?? null,
          m.expirationYear ?? null,
          m.createdAt,
          removalCutoff(m.createdAt),
        ],
      )
    ).rows,
  );
}
