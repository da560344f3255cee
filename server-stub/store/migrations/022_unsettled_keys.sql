-- The reconciler's two key scans each pass (every 15 s): keys a dead request left in flight
-- (`releaseOrphanKeys`) and keys still in flight or answered 500 after their row was written
-- (`staleLinkedKeys`). Neither had an index: the first read every key, the second every key
-- linked to a payment, and answered keys stay for ever as tombstones (one per POST), so each
-- pass grew with every request the shop ever took (200 and 255 ms a pass at a million keys).
-- The index holds only the keys those scans want: a few at any time.
-- Migrations run in a transaction, where CREATE INDEX CONCURRENTLY cannot, and a plain build
-- blocks writes to the table while it reads it whole (0.3 s a million keys here; every POST
-- claims a key, so checkout waits that long). On a large table build it by hand before
-- upgrading, which leaves the table writable:
--   CREATE INDEX CONCURRENTLY idempotency_keys_unsettled ON idempotency_keys (created_at)
--     WHERE status = 'in_flight' OR (status = 'done' AND response_status = 500);
-- and this is a no-op. A concurrent build that failed leaves an invalid index of that name,
-- which nothing uses and IF NOT EXISTS would keep: it is dropped and built here instead.
DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_index WHERE indexrelid = to_regclass('idempotency_keys_unsettled')
      AND NOT indisvalid) THEN
    DROP INDEX idempotency_keys_unsettled;
  END IF;
END
$$;
CREATE INDEX IF NOT EXISTS idempotency_keys_unsettled ON idempotency_keys (created_at)
  WHERE status = 'in_flight' OR (status = 'done' AND response_status = 500);
