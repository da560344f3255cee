-- Which failed renewals the retry schedule counted (server-stub/README.md "Renewal retries"):
-- a decline, or CyberSource refusing the request, counts; a renewal that never reached the card
-- does not (voided or reversed after a lost answer, never processed, refused by the gateway
-- before charging). A card change takes up the new card's count of the period from these
-- (`changeSubscriptionCard`): counting every failed row made a card that had only such failures
-- "tried", and gave a card switched back a count the schedule never gave it.
ALTER TABLE payments ADD COLUMN counted_attempt boolean NOT NULL DEFAULT false;
-- Renewals failed before this migration, as the schedule counted them: declines, and failures
-- that name CyberSource's reason for refusing the request (not the reconciler's own outcomes,
-- nor the gateway's refusals, which are written in lower case).
UPDATE payments SET counted_attempt = true
WHERE kind = 'renewal' AND (status = 'declined' OR (status = 'failed'
  AND decline_reason NOT IN ('NOT_PROCESSED', 'TIMEOUT_VOIDED', 'TIMEOUT_REVERSED')
  AND decline_reason = upper(decline_reason)));
