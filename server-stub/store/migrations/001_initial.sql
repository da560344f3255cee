-- The stub's tables. Amounts are integers in minor units; ids are the stub's own unless named
-- after a CyberSource object (customer_id, cybersource_id, instrument_identifier_id).

CREATE TABLE shoppers (
  id text PRIMARY KEY,
  -- TMS customer that holds this shopper's saved cards; set by the first TOKEN_CREATE.
  customer_id text UNIQUE,
  created_at timestamptz NOT NULL
);

CREATE TABLE checkout_sessions (
  id text PRIMARY KEY,
  shopper_id text NOT NULL,
  -- The verified capture context; never taken back from the browser (RELIABILITY-FACTS §3.4).
  capture_context text NOT NULL,
  flx_jwk jsonb NOT NULL,
  target_origins jsonb NOT NULL,
  flex_key_id text,
  created_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL
);

-- A transient token pays once (RELIABILITY-FACTS §3.4): its jti lands here before the payment.
CREATE TABLE used_transient_tokens (
  jti text PRIMARY KEY,
  session_id text NOT NULL REFERENCES checkout_sessions (id),
  used_at timestamptz NOT NULL
);

CREATE TABLE payment_methods (
  id text PRIMARY KEY, -- TMS payment instrument id
  shopper_id text NOT NULL REFERENCES shoppers (id),
  customer_id text NOT NULL,
  instrument_identifier_id text NOT NULL,
  brand text NOT NULL,
  last4 text NOT NULL,
  expiration_month text,
  expiration_year text,
  created_at timestamptz NOT NULL
);
-- The same card is the same instrument identifier: never keep it twice for one customer.
CREATE UNIQUE INDEX payment_methods_one_per_card ON payment_methods (customer_id, instrument_identifier_id);

CREATE TABLE subscriptions (
  id text PRIMARY KEY,
  shopper_id text NOT NULL REFERENCES shoppers (id),
  plan_id text NOT NULL,
  customer_id text NOT NULL,
  payment_method_id text NOT NULL,
  amount integer NOT NULL CHECK (amount > 0),
  currency text NOT NULL,
  interval text NOT NULL,
  interval_count integer NOT NULL,
  status text NOT NULL, -- active | past_due | canceled
  -- The first customer-initiated payment's network transaction id: every MIT cites it (API-FACTS §2.4).
  network_transaction_id text NOT NULL,
  current_period integer NOT NULL,
  current_period_start timestamptz NOT NULL,
  current_period_end timestamptz NOT NULL,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL
);
CREATE INDEX subscriptions_due ON subscriptions (current_period_end) WHERE status IN ('active', 'past_due');

CREATE TABLE payments (
  id text PRIMARY KEY,
  kind text NOT NULL, -- one_time | subscription_start | renewal
  shopper_id text,
  session_id text,
  item_id text NOT NULL,
  subscription_id text REFERENCES subscriptions (id),
  period integer,
  amount integer NOT NULL CHECK (amount > 0),
  currency text NOT NULL,
  status text NOT NULL, -- pending | succeeded | review | declined | failed | unknown
  -- clientReferenceInformation.transactionId: unique, written before the call (RELIABILITY-FACTS §3.6).
  transaction_id text NOT NULL UNIQUE,
  reference_code text NOT NULL,
  cybersource_id text,
  network_transaction_id text,
  payment_method_id text,
  customer_id text,
  card_brand text,
  card_last4 text,
  decline_reason text,
  refunded_amount integer NOT NULL DEFAULT 0 CHECK (refunded_amount >= 0 AND refunded_amount <= amount),
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL
);
-- One live renewal per subscription period: a second one cannot even be written.
CREATE UNIQUE INDEX payments_one_renewal_per_period ON payments (subscription_id, period)
  WHERE kind = 'renewal' AND status NOT IN ('declined', 'failed');
CREATE INDEX payments_created ON payments (created_at DESC);

CREATE TABLE refunds (
  id text PRIMARY KEY,
  payment_id text NOT NULL REFERENCES payments (id),
  amount integer NOT NULL CHECK (amount > 0),
  status text NOT NULL, -- pending | succeeded | failed | unknown
  transaction_id text NOT NULL UNIQUE,
  cybersource_id text,
  failure_reason text,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL
);

CREATE TABLE idempotency_keys (
  scope text NOT NULL,
  key text NOT NULL,
  request_hash text NOT NULL,
  status text NOT NULL, -- in_flight | done
  response_status integer,
  response_body jsonb,
  created_at timestamptz NOT NULL,
  completed_at timestamptz,
  PRIMARY KEY (scope, key)
);
