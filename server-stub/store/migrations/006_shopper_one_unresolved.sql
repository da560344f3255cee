-- One unresolved (pending or unknown) shopper payment per shopper, across checkout sessions and
-- saved cards (RELIABILITY-FACTS §3.6: never send a fresh authorization while one is unknown).
-- Migration 005 holds a session to one; but a shopper told "we're confirming your payment" who
-- reloads and pays with a saved card (no session) or starts a new checkout would otherwise be
-- charged twice if the first sale went through. Renewals are the merchant's and have their own
-- index per (subscription, period), so they neither count nor are refused here.
-- As in 005, rows up to the newest unresolved pair an older database may hold stay out of the
-- index, so its creation cannot fail and stop the stub before its reconciler resolves them.
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
