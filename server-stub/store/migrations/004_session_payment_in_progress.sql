-- A checkout session refuses a fresh sale while an earlier one is pending or unknown
-- (RELIABILITY-FACTS §3.6: never send a new authorization while one is unknown).
CREATE INDEX payments_session_unresolved ON payments (session_id)
  WHERE session_id IS NOT NULL AND status IN ('pending', 'unknown');
