/**
 * @module Shoppers and the TMS customer that holds their cards: the map that keeps shopper A
 * away from shopper B's cards.
 */
import { z } from 'zod';
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

/**
 * Records the shopper's customer once; returns the customer id that won. An upsert, because the
 * row may be gone: the reconciler forgets a shopper with nothing kept once their last session
 * went (`forgetIdleShoppers`), and a card can still be kept for them afterwards (a returning
 * shopper whose session started while the row was being deleted; a sale accepted in review days
 * later). The card's row needs this one (foreign key).
 */
export async function setShopperCustomer(
  db: Queryable,
  id: string,
  customerId: string,
  now: Date,
): Promise<string> {
  const set = await db.query(
    `INSERT INTO shoppers (id, customer_id, created_at) VALUES ($1, $2, $3)
     ON CONFLICT (id) DO UPDATE SET customer_id = EXCLUDED.customer_id
       WHERE shoppers.customer_id IS NULL
     RETURNING customer_id`,
    [id, customerId, now],
  );
  if (set.rows.length > 0) return customerId;
  return (await findShopper(db, id))?.customer_id ?? customerId;
}

/** Where a pass of `forgetIdleShoppers` stopped: the last shopper it looked at. */
export interface ShopperCursor {
  createdAt: Date;
  id: string;
}

const Forgotten = z.object({
  forgotten: z.coerce.number().int(),
  examined: z.coerce.number().int(),
  last_at: z.coerce.date().nullable(),
  last_id: z.string().nullable(),
});

/**
 * Deletes shoppers that hold nothing: no TMS customer, no card, no subscription, and no checkout
 * session left (the reconciler deletes sessions a day after they expired), first seen before
 * `olderThan`. Most are visitors who never paid: each one's first page view wrote a row. Their
 * payments, if any, keep the shopper id (payments have no foreign key to this table), and a
 * shopper who comes back with the same cookie gets a new row with their next session. Only a
 * card needs the row, and keeping one writes it again (`setShopperCustomer`).
 *
 * Looks at `limit` candidates per call, oldest first, after `after` (where the previous call
 * stopped), and says where it stopped: `next` is undefined once it reached the newest, and the
 * next call starts over. So a call's work is bounded by `limit`, not by the visitors who still
 * hold a session (each pass re-read every one of them: 13 ms at 20,000 returning visitors on
 * PGlite, where a query holds the event loop, and 94–152 ms at 300,000 during an upgrade's
 * backlog).
 */
export async function forgetIdleShoppers(
  db: Queryable,
  olderThan: Date,
  limit: number,
  after: ShopperCursor | undefined = undefined,
): Promise<{ forgotten: number; next: ShopperCursor | undefined }> {
  // The DELETE's own `customer_id IS NULL` is checked again on a row a concurrent
  // `setShopperCustomer` has just changed (PostgreSQL re-evaluates a DELETE's conditions on the
  // newer row under READ COMMITTED), so a shopper never loses a customer recorded while this ran.
  const r = await db.query(
    `WITH examined AS (
       SELECT id, created_at FROM shoppers
       WHERE customer_id IS NULL AND created_at < $1
         AND ($3::timestamptz IS NULL OR (created_at, id) > ($3::timestamptz, $4::text))
       ORDER BY created_at, id LIMIT $2
     ), gone AS (
       DELETE FROM shoppers s USING examined e
       WHERE s.id = e.id AND s.customer_id IS NULL
         AND NOT EXISTS (SELECT 1 FROM checkout_sessions c WHERE c.shopper_id = s.id)
         AND NOT EXISTS (SELECT 1 FROM payment_methods m WHERE m.shopper_id = s.id)
         AND NOT EXISTS (SELECT 1 FROM subscriptions u WHERE u.shopper_id = s.id)
       RETURNING s.id
     ), last AS (
       SELECT created_at, id FROM examined ORDER BY created_at DESC, id DESC LIMIT 1
     )
     SELECT (SELECT count(*) FROM gone) AS forgotten, (SELECT count(*) FROM examined) AS examined,
       (SELECT created_at FROM last) AS last_at, (SELECT id FROM last) AS last_id`,
    [olderThan, limit, after?.createdAt ?? null, after?.id ?? null],
  );
  const row = Forgotten.parse(r.rows[0]);
  const next =
    row.examined >= limit && row.last_at && row.last_id
      ? { createdAt: row.last_at, id: row.last_id }
      : undefined;
  return { forgotten: row.forgotten, next };
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
