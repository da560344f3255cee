-- Card-testing defence (RELIABILITY-FACTS §4): one row per charge attempt that declined or is
-- still in flight. Successful and failed-for-other-reasons attempts are deleted once known, so
-- the table only ever holds what counts against the decline caps. In the database, not in
-- memory, so every stub process sees the same counts.

CREATE TABLE charge_attempts (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  status text NOT NULL, -- pending | declined
  session_id text, -- absent for a saved card
  shopper_id text NOT NULL,
  client_ip text, -- IPv4, or an IPv6 /64; absent when the runtime gave none
  -- sha256 of "ii:<instrument identifier>" or "card:<brand>:<bin>:<last4>"; never card data.
  card_key text NOT NULL,
  at timestamptz NOT NULL
);
CREATE INDEX charge_attempts_session ON charge_attempts (session_id) WHERE session_id IS NOT NULL;
CREATE INDEX charge_attempts_card ON charge_attempts (card_key, at);
CREATE INDEX charge_attempts_shopper ON charge_attempts (shopper_id, at);
CREATE INDEX charge_attempts_ip ON charge_attempts (client_ip, at) WHERE client_ip IS NOT NULL;
CREATE INDEX charge_attempts_at ON charge_attempts (at);
