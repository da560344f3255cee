-- The reconciler (server-stub/reconcile/, RELIABILITY-FACTS §3.6) answers an idempotency key once
-- the payment or refund its request created is resolved: a key a crash left `in_flight` would
-- otherwise answer 409 forever, and a key that answered 202 "outcome unknown" would never learn
-- the outcome. The request writes the id here before it writes the pending row.
ALTER TABLE idempotency_keys ADD COLUMN resource_id text;
CREATE INDEX idempotency_keys_resource ON idempotency_keys (resource_id) WHERE resource_id IS NOT NULL;
-- Rows the reconciler scans: not yet resolved, oldest first.
CREATE INDEX payments_unresolved ON payments (updated_at) WHERE status IN ('pending', 'unknown');
CREATE INDEX refunds_unresolved ON refunds (updated_at) WHERE status IN ('pending', 'unknown');
