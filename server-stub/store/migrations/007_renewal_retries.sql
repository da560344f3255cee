-- Renewal retries (server-stub/README.md "Renewal retries"): a declined renewal is retried on a
-- schedule, not on every renew-due run. Per subscription, for the period after current_period:
-- how many renewals of it failed, when renew-due may try it again (NULL: at the period's end),
-- and the last failure's reason (for the merchant panel) and payment (so that the live request
-- and the reconciler, which may both learn one payment's failure, count it once). Reset when
-- the period advances.
-- The status gains `unpaid` (terminal: retries spent, or a decline no retry can fix); the
-- subscriptions_due index of migration 001 already leaves it out.
ALTER TABLE subscriptions ADD COLUMN renewal_attempts integer NOT NULL DEFAULT 0;
ALTER TABLE subscriptions ADD COLUMN next_renewal_at timestamptz;
ALTER TABLE subscriptions ADD COLUMN renewal_failure_reason text;
ALTER TABLE subscriptions ADD COLUMN renewal_failure_payment_id text;
-- The payments held for review, which the reconciler re-checks (server-stub/reconcile/review.ts).
CREATE INDEX payments_review ON payments (updated_at) WHERE status = 'review';
