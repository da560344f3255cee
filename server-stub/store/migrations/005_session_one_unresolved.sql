-- One unresolved (pending or unknown) payment per checkout session, enforced by the index
-- itself: the insert of a second pending row conflicts, so the stub needs no row lock and no
-- check before it (RELIABILITY-FACTS §3.6: never send a new authorization while one is
-- unknown). It replaces migration 004's plain index with the same predicate. Since 004 the
-- stub never wrote two such rows for one session; a database holding two from before that
-- must let the reconciler resolve them before this migration can apply.
DROP INDEX payments_session_unresolved;
CREATE UNIQUE INDEX payments_session_one_unresolved ON payments (session_id)
  WHERE session_id IS NOT NULL AND status IN ('pending', 'unknown');
