-- The reconciler deletes checkout sessions a day after they expired (server-stub/README.md
-- "Reconciliation"). Every page that mounts the widget starts a session holding a whole capture
-- context (a few KB), so without it the table grows with page views for ever. These indexes keep
-- the pass a range scan, and each deletion's check of the spent-token foreign key an index probe.
CREATE INDEX checkout_sessions_expires_at ON checkout_sessions (expires_at);
CREATE INDEX used_transient_tokens_session ON used_transient_tokens (session_id);
