/**
 * @module The shopper's saved cards as we last saw them in TMS (a cache: TMS stays the source
 * of truth for the list; the cache answers "whose card is this" and "is this card saved").
 */
import type { Queryable } from './database.ts';
import { firstOf, PaymentMethodRow, rowsOf } from './rows.ts';

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

/** Records that the shopper made this card the default (migration 026). */
export async function markDefaultChosen(
  db: Queryable,
  shopperId: string,
  id: string,
  at: Date,
): Promise<void> {
  await db.query(
    'UPDATE payment_methods SET default_chosen_at = $3 WHERE id = $1 AND shopper_id = $2',
    [id, shopperId, at],
  );
}

export async function deletePaymentMethod(
  db: Queryable,
  shopperId: string,
  id: string,
): Promise<void> {
  await db.query('DELETE FROM payment_methods WHERE id = $1 AND shopper_id = $2', [id, shopperId]);
}

/** The kept card's new expiry, after TMS took it (`keepNewCard`: the same card, reissued). */
export async function setPaymentMethodExpiry(
  db: Queryable,
  id: string,
  expirationMonth: string,
  expirationYear: string,
): Promise<void> {
  await db.query(
    'UPDATE payment_methods SET expiration_month = $2, expiration_year = $3 WHERE id = $1',
    [id, expirationMonth, expirationYear],
  );
}
