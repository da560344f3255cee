-- Three subscription reads that went through every subscription the shop ever sold (they are
-- never deleted), timed at 100,000 (bench seed):
-- - the merchant's list (`GET /api/admin/subscriptions`, newest first, by created_at and id):
--   a sequential scan and a sort, 67 to 90 ms a page, any page; now the index's order;
-- - a card removal's "does a live subscription renew on it" (`listLiveSubscriptionsPaidBy`,
--   in `claimRemoval`): a sequential scan, 12 to 18 ms; now a probe of the live ones;
-- - renew-due's list (`listDueSubscriptions`, by when each is due): every subscription whose
--   period had ended, read and sorted for the first `limit`; now read in that order, stopping
--   at `limit`.
-- Migrations run in a transaction, where CREATE INDEX CONCURRENTLY cannot, and a plain build
-- blocks writes to subscriptions while it reads the table (0.1 to 0.2 s each at 100,000 here;
-- renewals, cancellations and card changes wait that long). On a large table build them by
-- hand before upgrading, which leaves the table writable:
--   CREATE INDEX CONCURRENTLY subscriptions_created ON subscriptions (created_at DESC, id DESC);
--   CREATE INDEX CONCURRENTLY subscriptions_live_payment_method ON subscriptions (payment_method_id)
--     WHERE status IN ('active', 'past_due');
--   CREATE INDEX CONCURRENTLY subscriptions_due_at
--     ON subscriptions ((COALESCE(next_renewal_at, current_period_end)))
--     WHERE status IN ('active', 'past_due');
-- and this is a no-op. An index a failed concurrent build left invalid is built again.
DO $$
DECLARE
  name text;
BEGIN
  FOREACH name IN ARRAY ARRAY['subscriptions_created', 'subscriptions_live_payment_method',
      'subscriptions_due_at'] LOOP
    IF EXISTS (SELECT 1 FROM pg_index WHERE indexrelid = to_regclass(name) AND NOT indisvalid) THEN
      EXECUTE format('DROP INDEX %I', name);
    END IF;
  END LOOP;
END
$$;
CREATE INDEX IF NOT EXISTS subscriptions_created ON subscriptions (created_at DESC, id DESC);
CREATE INDEX IF NOT EXISTS subscriptions_live_payment_method ON subscriptions (payment_method_id)
  WHERE status IN ('active', 'past_due');
CREATE INDEX IF NOT EXISTS subscriptions_due_at
  ON subscriptions ((COALESCE(next_renewal_at, current_period_end)))
  WHERE status IN ('active', 'past_due');
