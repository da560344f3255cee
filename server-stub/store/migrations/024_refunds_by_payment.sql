-- A payment's refunds (`listRefunds`: the merchant panel's payment page; and the refunds a
-- resume reads for the period's payment, `resumeSubscription`) had no index on payment_id: each
-- read every refund the shop ever made (a sequential scan, 1.2 ms at 27,000 refunds and
-- growing with them); now a probe, in the list's order.
-- Migrations run in a transaction, where CREATE INDEX CONCURRENTLY cannot, and a plain build
-- blocks writes to refunds while it reads the table (45 ms at 27,000 here). On a large table
-- build it by hand before upgrading, which leaves the table writable:
--   CREATE INDEX CONCURRENTLY refunds_payment ON refunds (payment_id, created_at);
-- and this is a no-op. An index a failed concurrent build left invalid is built again.
DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_index WHERE indexrelid = to_regclass('refunds_payment')
      AND NOT indisvalid) THEN
    DROP INDEX refunds_payment;
  END IF;
END
$$;
CREATE INDEX IF NOT EXISTS refunds_payment ON refunds (payment_id, created_at);
