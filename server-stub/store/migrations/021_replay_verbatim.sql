-- An answer replayed for its Idempotency-Key is the first answer byte for byte: `json` keeps
-- the text as written, where `jsonb` reordered its keys (shortest first), so a client comparing
-- or hashing the replay saw another body. Nothing queries inside these bodies.
ALTER TABLE idempotency_keys ALTER COLUMN response_body TYPE json USING response_body::json;
