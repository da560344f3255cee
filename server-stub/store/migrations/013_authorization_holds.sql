-- A sale answered AUTHORIZED_RISK_DECLINED (API-FACTS §2.5 "held"): the issuer approved and holds
-- the amount on the shopper's card, the merchant's Decision Manager rejected the order, and
-- nothing was captured. The payment is `declined`; the stub reverses the authorization so the
-- shopper's funds are released now rather than when the authorization lapses, days later
-- (server-stub/reconcile/release-hold.ts, run by the reconciler). `auth_hold`: `held` until then,
-- `released` once reversed (or found reversed already), `release_failed` when CyberSource
-- refused the reversal. `hold_next_at`: when to try (again); `hold_attempts`: tries so far.
ALTER TABLE payments ADD COLUMN auth_hold text
  CHECK (auth_hold IN ('held', 'released', 'release_failed'));
ALTER TABLE payments ADD COLUMN hold_attempts integer NOT NULL DEFAULT 0;
ALTER TABLE payments ADD COLUMN hold_next_at timestamptz;
CREATE INDEX payments_held_authorizations ON payments (hold_next_at) WHERE auth_hold = 'held';
