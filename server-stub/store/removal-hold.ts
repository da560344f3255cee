/**
 * @module How long a card removal's claim holds the card (migration 012), for every query that
 * reads the claim: paying with a saved card, starting a subscription, keeping a card again.
 */
import type { PaymentMethodRow } from './rows.ts';

/**
 * Longer than a removal's TMS calls can take with their timeouts and retries (a list, a default
 * change, a delete: well under a minute). A claim older than this was left by a process that
 * died mid-removal, or by a delete whose outcome was unknown, and the card is usable again.
 */
export const REMOVAL_HOLD_MS = 5 * 60_000;

/** The `removing_since` at or before which a removal's claim is stale. */
export const removalCutoff = (now: Date) => new Date(now.getTime() - REMOVAL_HOLD_MS);

/**
 * SQL: no removal holds the `payment_methods` row, `cutoff` being the parameter that carries
 * `removalCutoff(now)`. The one definition for every statement that reads the claim.
 */
export const cardFree = (cutoff: string) =>
  `(removing_since IS NULL OR removing_since <= ${cutoff})`;

/** Whether a removal holds this card now (`cardFree`, on a row already read). */
export const isBeingRemoved = (row: PaymentMethodRow, now: Date) =>
  !!row.removing_since && row.removing_since > removalCutoff(now);
