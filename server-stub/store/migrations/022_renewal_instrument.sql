-- The card a renewal charged, by its TMS instrument identifier (one per card number), kept on
-- the renewal's row: the retry schedule counts a card's attempts per period
-- (`changeSubscriptionCard`), and a card removed and saved again is a new saved-card row with
-- the same identifier, whose count must not start again at 0 (it was charged past the 4
-- attempts a period allows). Renewals written before this migration get theirs from their
-- saved card where it is still saved.
ALTER TABLE payments ADD COLUMN IF NOT EXISTS instrument_identifier_id text;
UPDATE payments p SET instrument_identifier_id = m.instrument_identifier_id
FROM payment_methods m
WHERE p.kind = 'renewal' AND p.payment_method_id = m.id AND p.instrument_identifier_id IS NULL;
