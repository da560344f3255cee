-- Changing a subscription's card (server-stub/README.md "Changing a subscription's card"): the
-- shopper moves a live subscription onto another of their saved cards, and its renewals then
-- cite that card's own first customer-initiated payment (network_transaction_id). Discover and
-- Diners Club renewals also carry that payment's amount (API-FACTS §2.4), which after a change
-- is no longer the subscription's own: `cited_amount` keeps it; NULL means the subscription's
-- amount (its first payment's), as every subscription started before this migration.
ALTER TABLE subscriptions ADD COLUMN cited_amount integer CHECK (cited_amount > 0);
-- A card's payments, oldest first: the card's first payment for the change above, and the
-- unresolved payments a card removal looks for (claimRemoval), both index probes instead of a
-- scan of every payment. Migrations run in a transaction, where CREATE INDEX CONCURRENTLY cannot:
-- on a large table, build it CONCURRENTLY by hand before upgrading (same name), and this is a
-- no-op instead of a lock on payments while it builds.
CREATE INDEX IF NOT EXISTS payments_payment_method ON payments (payment_method_id, created_at)
  WHERE payment_method_id IS NOT NULL;
