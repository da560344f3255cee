-- The merchant panel finds payments by who made them, by subscription, and by the id the
-- Business Center shows (`GET /api/admin/payments?shopperId=…|subscriptionId=…|cybersourceId=…`):
-- each a look-up on its own column, newest first, not a scan of every payment.
CREATE INDEX IF NOT EXISTS payments_shopper ON payments (shopper_id, created_at DESC);
CREATE INDEX IF NOT EXISTS payments_subscription ON payments (subscription_id, created_at DESC)
  WHERE subscription_id IS NOT NULL;
CREATE INDEX IF NOT EXISTS payments_cybersource_id ON payments (cybersource_id)
  WHERE cybersource_id IS NOT NULL;
