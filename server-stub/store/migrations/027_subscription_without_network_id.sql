-- A subscription whose first payment's answer carried no network transaction id, and whose card
-- TMS keeps none for either, starts anyway: its renewals name the TMS customer and payment
-- instrument alone (checkout/payment-requests.ts `renewalPayment`; server-stub/README.md
-- "Renewals without a network transaction id"). Until now such a plan was paid for with no
-- subscription started, for an operator to refund. NULL: none known.
ALTER TABLE subscriptions ALTER COLUMN network_transaction_id DROP NOT NULL;
