-- The reconciler deletes shopper rows that hold nothing (server-stub/README.md "Reconciliation"):
-- every new visitor's first page view writes one with its session, so without it the table grows
-- with visitors for ever. The partial index is the pass's range scan over rows without a TMS
-- customer; the other two make each candidate's "nothing left" check, and the foreign-key check
-- of its deletion (payment_methods has none on shopper_id until now), index probes.
CREATE INDEX shoppers_without_customer ON shoppers (created_at) WHERE customer_id IS NULL;
CREATE INDEX checkout_sessions_shopper ON checkout_sessions (shopper_id);
CREATE INDEX payment_methods_shopper ON payment_methods (shopper_id);
