-- The reconciler expires idempotency keys answered more than 24 hours ago (their answers go, the
-- keys stay) and deletes spent transient tokens after a day (server-stub/README.md
-- "Reconciliation"); these indexes keep that a range scan.
CREATE INDEX idempotency_keys_answered ON idempotency_keys (completed_at) WHERE status = 'done';
CREATE INDEX used_transient_tokens_used_at ON used_transient_tokens (used_at);
