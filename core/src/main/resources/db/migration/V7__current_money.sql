-- The money an OMS ships and charges by (issue 13): the totals after refunds, returns and edits
-- beside the original ones, the presentment currency and totals, the discount codes (JSON), and
-- each line's total after its discounts.
ALTER TABLE orders ADD COLUMN current_total_price NUMERIC(19,4);
ALTER TABLE orders ADD COLUMN current_subtotal_price NUMERIC(19,4);
ALTER TABLE orders ADD COLUMN current_total_tax NUMERIC(19,4);
ALTER TABLE orders ADD COLUMN current_total_discounts NUMERIC(19,4);
ALTER TABLE orders ADD COLUMN total_refunded NUMERIC(19,4);
ALTER TABLE orders ADD COLUMN presentment_currency VARCHAR;
ALTER TABLE orders ADD COLUMN presentment_total_price NUMERIC(19,4);
ALTER TABLE orders ADD COLUMN presentment_current_total_price NUMERIC(19,4);
ALTER TABLE orders ADD COLUMN discount_codes VARCHAR;
ALTER TABLE order_line_items ADD COLUMN discounted_total NUMERIC(19,4);
