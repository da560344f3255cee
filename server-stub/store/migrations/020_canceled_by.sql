-- Who canceled a subscription (checkout/resume.ts): a shopper takes back only their own
-- cancellation; one the merchant made (abuse, a dispute, with a refund) is the merchant's to
-- take back. Rows canceled before this migration say nobody, and count as the merchant's.
ALTER TABLE subscriptions ADD COLUMN IF NOT EXISTS canceled_by text
  CHECK (canceled_by IN ('shopper', 'merchant'));
