/**
 * @module Shoppers and the TMS customer that holds their cards: the map that keeps shopper A
 * away from shopper B's cards.
 */
import type { Queryable } from './database.ts';
import { firstOf, ShopperRow } from './rows.ts';

export async function ensureShopper(db: Queryable, id: string, now: Date): Promise<ShopperRow> {
  // One round trip: insert if new, else read the existing row (no write for a returning shopper).
  const row = firstOf(
    ShopperRow,
    (
      await db.query(
        `WITH created AS (
           INSERT INTO shoppers (id, created_at) VALUES ($1, $2) ON CONFLICT (id) DO NOTHING RETURNING *
         )
         SELECT * FROM created UNION ALL SELECT * FROM shoppers WHERE id = $1 LIMIT 1`,
        [id, now],
      )
    ).rows,
  );
  if (!row) throw new Error('shopper row vanished');
  return row;
}

export async function findShopper(db: Queryable, id: string): Promise<ShopperRow | undefined> {
  return firstOf(ShopperRow, (await db.query('SELECT * FROM shoppers WHERE id = $1', [id])).rows);
}

/** Records the shopper's customer once; returns the customer id that won. */
export async function setShopperCustomer(
  db: Queryable,
  id: string,
  customerId: string,
): Promise<string> {
  await db.query('UPDATE shoppers SET customer_id = $2 WHERE id = $1 AND customer_id IS NULL', [
    id,
    customerId,
  ]);
  const row = await findShopper(db, id);
  return row?.customer_id ?? customerId;
}

/**
 * Forgets a TMS customer that no longer exists (deleted in the Business Center, or kept by an
 * emulator that has since restarted): the shopper's next kept card starts a new customer, and
 * the cards kept under the old one go, as TMS has none of them any more. Compare-and-set on the
 * customer, so one recorded meanwhile stays.
 */
export async function forgetShopperCustomer(
  db: Queryable,
  id: string,
  customerId: string,
): Promise<void> {
  await db.query(
    `WITH cards AS (DELETE FROM payment_methods WHERE shopper_id = $1 AND customer_id = $2)
     UPDATE shoppers SET customer_id = NULL WHERE id = $1 AND customer_id = $2`,
    [id, customerId],
  );
}
