-- A plan's first payment approved whose subscription could not be written (checkout/pay.ts):
-- the shopper's next purchase of that plan starts the subscription from it instead of charging
-- again. Few rows ever match; the partial index keeps that look-up off the payments table.
CREATE INDEX payments_unstarted_plans ON payments (shopper_id, item_id, created_at)
  WHERE kind = 'subscription_start' AND status = 'succeeded' AND subscription_id IS NULL;
