-- A payment held for review blocks a second purchase of the same item only. Migration 009 held
-- a shopper to one `pending`, `unknown` or `review` payment: a review lasts until a person decides
-- it in the Business Center (minutes to days), and meanwhile the shopper could buy nothing else
-- from the shop at all. The double charge 009 prevents is a shopper told "under review" buying
-- the same thing again; a different item is a different purchase. So:
-- - one `pending` or `unknown` payment per shopper, as 006 (RELIABILITY-FACTS §3.6: never a
--   fresh authorization while one may have charged, whatever it buys);
-- - one unresolved payment (`pending`, `unknown` or `review`) per shopper and item: the same item
--   (a plan too: no second subscription) waits for the review.
-- As in 005, 006 and 009, rows up to the newest unresolved pair an older database may hold stay
-- out of each index, so its creation cannot fail and stop the stub.
DROP INDEX payments_shopper_one_unresolved;
DO $$
DECLARE
  pairs_until timestamptz;
BEGIN
  SELECT max(created_at) INTO pairs_until FROM payments
  WHERE status IN ('pending', 'unknown') AND kind <> 'renewal' AND shopper_id IN (
    SELECT shopper_id FROM payments
    WHERE shopper_id IS NOT NULL AND kind <> 'renewal' AND status IN ('pending', 'unknown')
    GROUP BY shopper_id HAVING count(*) > 1
  );
  EXECUTE 'CREATE UNIQUE INDEX payments_shopper_one_unresolved ON payments (shopper_id) '
    || 'WHERE shopper_id IS NOT NULL AND kind <> ''renewal'' AND status IN (''pending'', ''unknown'')'
    || CASE WHEN pairs_until IS NULL THEN '' ELSE format(' AND created_at > %L', pairs_until) END;
END
$$;
DO $$
DECLARE
  pairs_until timestamptz;
BEGIN
  SELECT max(created_at) INTO pairs_until FROM payments
  WHERE status IN ('pending', 'unknown', 'review') AND kind <> 'renewal' AND (shopper_id, item_id) IN (
    SELECT shopper_id, item_id FROM payments
    WHERE shopper_id IS NOT NULL AND kind <> 'renewal' AND status IN ('pending', 'unknown', 'review')
    GROUP BY shopper_id, item_id HAVING count(*) > 1
  );
  EXECUTE 'CREATE UNIQUE INDEX payments_shopper_item_one_unresolved ON payments (shopper_id, item_id) '
    || 'WHERE shopper_id IS NOT NULL AND kind <> ''renewal'' '
    || 'AND status IN (''pending'', ''unknown'', ''review'')'
    || CASE WHEN pairs_until IS NULL THEN '' ELSE format(' AND created_at > %L', pairs_until) END;
END
$$;
