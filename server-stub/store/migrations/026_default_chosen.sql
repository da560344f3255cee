-- When the shopper last made this card the default (`makeDefaultPaymentMethod`). TMS keeps one
-- default per customer; a shopper whose cards are in two customers (two first saves, one held
-- for review) has two, and the list shows the one chosen last while TMS still says so
-- (checkout/payment-methods.ts `shownDefault`). Without it a card of the other customer made
-- the default reverted to the first customer's at the next list. No default: no table rewrite.
ALTER TABLE payment_methods ADD COLUMN IF NOT EXISTS default_chosen_at timestamptz;
