/**
 * @module The shopper's saved cards as we last saw them in TMS (a cache: TMS stays the source
 * of truth for the list; the cache answers "whose card is this" and "is this card saved").
 */
import { z } from 'zod';
import type { Database, Queryable } from './database.ts';
import { firstOf, PaymentMethodRow, rowsOf } from './rows.ts';

/**
 * How long a removal holds its card (migration 012): longer than its TMS calls can take with
 * their timeouts and retries (a list, a default change, a delete: well under a minute). A claim
 * older than this was left by a process that died mid-removal, and the card is usable again.
 */
export const REMOVAL_HOLD_MS = 5 * 60_000;

/** The `removing_since` before which a removal's claim is stale. */
export const removalCutoff = (now: Date) => new Date(now.getTime() - REMOVAL_HOLD_MS);

/**
 * A plan payment approved this recently whose subscription is not written yet still holds its
 * card: the flow after an approval (`completeApprovedPayment`) may be about to start it.
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

const Holders = z.object({
  subscriptions: z.array(z.object({ id: z.string(), planId: z.string() })),
  payments: z.number(),
});

/**
 * Claims the shopper's card for removal, unless something still needs it. Two statements in one
 * transaction: the row lock first, so a payment or subscription writing against the card (they
 * read it `FOR SHARE`) either finished before the check, which then sees it, or waits and then
 * sees the claim. The check must be its own statement: under READ COMMITTED a statement sees
 * only what committed before it started, not what the lock waited for.
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
    const since = row?.removing_since;
    if (!row || (since && since > removalCutoff(now))) return { refused: 'not_found' };
    const held = Holders.parse(
      (
        await tx.query(
          `SELECT
             COALESCE((SELECT json_agg(json_build_object('id', id, 'planId', plan_id) ORDER BY created_at)
               FROM subscriptions WHERE payment_method_id = $1 AND status IN ('active', 'past_due')),
               '[]'::json) AS subscriptions,
             (SELECT count(*)::int FROM payments WHERE payment_method_id = $1 AND (
               status IN ('pending', 'unknown', 'review')
               OR (kind = 'subscription_start' AND status = 'succeeded' AND subscription_id IS NULL
                   AND created_at > $2))) AS payments`,
          [id, new Date(now.getTime() - UNSTARTED_PLAN_HOLD_MS)],
        )
      ).rows[0],
    );
    if (held.subscriptions.length > 0)
      return { refused: 'subscription', subscriptions: held.subscriptions };
    if (held.payments > 0) return { refused: 'payment' };
    await tx.query('UPDATE payment_methods SET removing_since = $2 WHERE id = $1', [id, now]);
    return { claimed: row };
  });
}

/** Gives the card back after a removal that failed (TMS refused or could not be reached). */
export async function releaseRemoval(db: Queryable, id: string, since: Date): Promise<void> {
  await db.query(
    'UPDATE payment_methods SET removing_since = NULL WHERE id = $1 AND removing_since = $2',
    [id, since],
  );
}

export interface NewPaymentMethod {
  id: string;
  shopperId: string;
  customerId: string;
  instrumentIdentifierId: string;
  brand: string;
  last4: string;
  expirationMonth: string | undefined;
  expirationYear: string | undefined;
  createdAt: Date;
}

/** Inserts unless this card (instrument identifier) is already saved; returns the kept row. */
export async function saveOrFindPaymentMethod(
  db: Queryable,
  m: NewPaymentMethod,
): Promise<PaymentMethodRow> {
  await db.query(
    `INSERT INTO payment_methods (id, shopper_id, customer_id, instrument_identifier_id, brand, last4, expiration_month, expiration_year, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
     ON CONFLICT DO NOTHING`,
    [
      m.id,
      m.shopperId,
      m.customerId,
      m.instrumentIdentifierId,
      m.brand,
      m.last4,
      m.expirationMonth ?? null,
      m.expirationYear ?? null,
      m.createdAt,
    ],
  );
  const row = await findByCard(db, m.customerId, m.instrumentIdentifierId);
  if (!row) throw new Error('payment method row vanished');
  return row;
}

export async function findByCard(
  db: Queryable,
  customerId: string,
  instrumentIdentifierId: string,
): Promise<PaymentMethodRow | undefined> {
  return firstOf(
    PaymentMethodRow,
    (
      await db.query(
        'SELECT * FROM payment_methods WHERE customer_id = $1 AND instrument_identifier_id = $2',
        [customerId, instrumentIdentifierId],
      )
    ).rows,
  );
}

/** The shopper's own payment method, or undefined (also when it belongs to someone else). */
export async function findShopperPaymentMethod(
  db: Queryable,
  shopperId: string,
  id: string,
): Promise<PaymentMethodRow | undefined> {
  return firstOf(
    PaymentMethodRow,
    (
      await db.query('SELECT * FROM payment_methods WHERE id = $1 AND shopper_id = $2', [
        id,
        shopperId,
      ])
    ).rows,
  );
}

export async function listShopperPaymentMethods(
  db: Queryable,
  shopperId: string,
): Promise<PaymentMethodRow[]> {
  return rowsOf(
    PaymentMethodRow,
    (
      await db.query('SELECT * FROM payment_methods WHERE shopper_id = $1 ORDER BY created_at', [
        shopperId,
      ])
    ).rows,
  );
}

export async function deletePaymentMethod(
  db: Queryable,
  shopperId: string,
  id: string,
): Promise<void> {
  await db.query('DELETE FROM payment_methods WHERE id = $1 AND shopper_id = $2', [id, shopperId]);
}
