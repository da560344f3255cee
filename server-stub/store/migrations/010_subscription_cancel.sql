-- Canceling a subscription (server-stub/README.md "Canceling a subscription"): the merchant or
-- the shopper stops its renewals; the period already paid stands. `canceled_at` says when, for
-- the panel; `canceled` was already a status (migration 001), which renew-due's live filter
-- and the subscriptions_due index leave out.
ALTER TABLE subscriptions ADD COLUMN canceled_at timestamptz;
-- The shopper's own list (GET /api/subscriptions).
CREATE INDEX subscriptions_shopper ON subscriptions (shopper_id, created_at);
