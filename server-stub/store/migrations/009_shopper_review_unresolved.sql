-- A payment held for review is unresolved too: it may still be accepted and charge (server-stub/
-- README.md "Payments held for review"). Migration 006 held a shopper to one `pending` or
-- `unknown` payment; a shopper told "under review" could pay again (or buy the same plan a
-- second time) and be charged twice once the review is accepted. The index now counts `review`.
-- As in 005 and 006, rows up to the newest unresolved pair an older database may hold stay out
-- of the index, so its creation cannot fail and stop the stub.
DROP INDEX payments_shopper_one_unresolved;
DO $$
DECLARE
  pairs_until timestamptz;
BEGIN
  SELECT max(created_at) INTO pairs_until FROM payments
  WHERE status IN ('pending', 'unknown', 'review') AND kind <> 'renewal' AND shopper_id IN (
    SELECT shopper_id FROM payments
    WHERE shopper_id IS NOT NULL AND kind <> 'renewal' AND status IN ('pending', 'unknown', 'review')
    GROUP BY shopper_id HAVING count(*) > 1
  );
  EXECUTE 'CREATE UNIQUE INDEX payments_shopper_one_unresolved ON payments (shopper_id) '
    || 'WHERE shopper_id IS NOT NULL AND kind <> ''renewal'' '
    || 'AND status IN (''pending'', ''unknown'', ''review'')'
    || CASE WHEN pairs_until IS NULL THEN '' ELSE format(' AND created_at > %L', pairs_until) END;
END
$$;
