-- Removing a saved card takes several TMS calls (checkout/payment-methods.ts). The card is
-- claimed first, in one transaction with the in-use check, so that a payment or a subscription
-- starting on it meanwhile is refused instead of starting on a card TMS then deletes (every
-- renewal of it would fail). A claim older than a removal can take is stale (its process died)
-- and no longer holds the card (store/payment-methods.ts `REMOVAL_HOLD_MS`).
ALTER TABLE payment_methods ADD COLUMN removing_since timestamptz;
