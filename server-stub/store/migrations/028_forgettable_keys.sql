-- Keys whose request moves no money when sent again, a checkout session's (`Outcome.forgettable`,
-- http/idempotency.ts), are deleted once their answer expires a day on, instead of staying as
-- tombstones for good: they were most of the table's growth (one per page view). Every key
-- stored before this migration stays a tombstone, as before. A constant default: no rewrite.
ALTER TABLE idempotency_keys ADD COLUMN IF NOT EXISTS forgettable boolean NOT NULL DEFAULT false;
