-- One unresolved (pending or unknown) payment per checkout session, enforced by the index
-- itself: the insert of a second pending row conflicts, so the stub needs no row lock and no
-- check before it (RELIABILITY-FACTS §3.6: never send a new authorization while one is
-- unknown). It replaces migration 004's plain index with the same predicate.
DROP INDEX payments_session_unresolved;
-- Before migration 004 nothing stopped a second sale in a session, so an older database may
-- hold two unresolved payments of one session. Rows up to the newest of those stay out of the
-- index: otherwise its creation would fail and stop the stub before its reconciler could
-- resolve them.
DO $$
DECLARE
  pairs_until timestamptz;
BEGIN
  SELECT max(created_at) INTO pairs_until FROM payments
  WHERE status IN ('pending', 'unknown') AND session_id IN (
    SELECT session_id FROM payments
    WHERE session_id IS NOT NULL AND status IN ('pending', 'unknown')
    GROUP BY session_id HAVING count(*) > 1
  );
  EXECUTE 'CREATE UNIQUE INDEX payments_session_one_unresolved ON payments (session_id) '
    || 'WHERE session_id IS NOT NULL AND status IN (''pending'', ''unknown'')'
    || CASE WHEN pairs_until IS NULL THEN '' ELSE format(' AND created_at > %L', pairs_until) END;
END
$$;
