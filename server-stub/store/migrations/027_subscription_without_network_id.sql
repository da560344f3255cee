-- A subscription whose first payment's answer carried no network transaction id starts anyway:
-- its renewals name the TMS customer and payment instrument alone, and CyberSource cites the id
-- TMS keeps with the card (checkout/payment-requests.ts `renewalPayment`). Until now such a
-- plan was paid for with no subscription started, for an operator to refund. NULL: none known.
ALTER TABLE subscriptions ALTER COLUMN network_transaction_id DROP NOT NULL;
