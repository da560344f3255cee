-- A plan's first payment approved whose subscription could not be written: the reconciler now
-- starts the subscription from it (reconcile/plan-start.ts). One it cannot start (the card gone,
-- no stored credential, the first period over, another subscription to the plan live) is marked
-- here once, logged for an operator to refund, and not tried again every pass. A column with
-- no default: no table rewrite. Migration 011's partial index already holds the few candidates.
ALTER TABLE payments ADD COLUMN IF NOT EXISTS plan_start_given_up_at timestamptz;
