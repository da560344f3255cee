-- Which failed renewals the retry schedule counted (server-stub/README.md "Renewal retries"):
-- a decline, or CyberSource refusing the request, counts; a renewal that never reached the card
-- does not (voided or reversed after a lost answer, never processed, refused by the gateway
-- before charging), nor one made before its period ended (an early "renew now"). A card change
-- takes up the new card's count of the period from these (`changeSubscriptionCard`): counting
-- every failed row made a card that had only such failures "tried", and gave a card switched
-- back a count the schedule never gave it.
ALTER TABLE payments ADD COLUMN counted_attempt boolean NOT NULL DEFAULT false;
-- Renewals failed before this migration, as the schedule counted them, for the period each live
-- subscription is trying to renew (the only one a card change reads): declines, and failures
-- that name CyberSource's own reason for refusing the request. Not the reconciler's outcomes
-- (NOT_PROCESSED, TIMEOUT_*, or a found VOIDED / REVERSED / CANCELLED), nor a gateway refusal,
-- which names no reason (NULL).
UPDATE payments p SET counted_attempt = true
FROM subscriptions s
WHERE p.subscription_id = s.id AND p.kind = 'renewal' AND p.period = s.current_period + 1
  AND p.created_at >= s.current_period_end
  AND (p.status = 'declined' OR (p.status = 'failed' AND p.decline_reason NOT IN (
    'NOT_PROCESSED', 'TIMEOUT_VOIDED', 'TIMEOUT_REVERSED', 'VOIDED', 'REVERSED', 'CANCELLED')));
