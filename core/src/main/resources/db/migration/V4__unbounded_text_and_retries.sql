-- No length a valid Shopify order can exceed (issue 10): Shopify documents no cap on an order's
-- tags, and notes, names and addresses run longer than our old limits. VARCHAR without a length
-- is unbounded on PostgreSQL (no table rewrite from VARCHAR(n)) and 1e9 characters on H2.
ALTER TABLE orders ALTER COLUMN name SET DATA TYPE VARCHAR;
ALTER TABLE orders ALTER COLUMN cancel_reason SET DATA TYPE VARCHAR;
ALTER TABLE orders ALTER COLUMN source_name SET DATA TYPE VARCHAR;
ALTER TABLE orders ALTER COLUMN email SET DATA TYPE VARCHAR;
ALTER TABLE orders ALTER COLUMN phone SET DATA TYPE VARCHAR;
ALTER TABLE orders ALTER COLUMN financial_status SET DATA TYPE VARCHAR;
ALTER TABLE orders ALTER COLUMN fulfillment_status SET DATA TYPE VARCHAR;
ALTER TABLE orders ALTER COLUMN currency SET DATA TYPE VARCHAR;
ALTER TABLE orders ALTER COLUMN customer_id SET DATA TYPE VARCHAR;
ALTER TABLE orders ALTER COLUMN customer_first_name SET DATA TYPE VARCHAR;
ALTER TABLE orders ALTER COLUMN customer_last_name SET DATA TYPE VARCHAR;
ALTER TABLE orders ALTER COLUMN customer_email SET DATA TYPE VARCHAR;
ALTER TABLE orders ALTER COLUMN shipping_address SET DATA TYPE VARCHAR;
ALTER TABLE orders ALTER COLUMN billing_address SET DATA TYPE VARCHAR;
ALTER TABLE orders ALTER COLUMN shipping_lines SET DATA TYPE VARCHAR;
ALTER TABLE orders ALTER COLUMN tags SET DATA TYPE VARCHAR;
ALTER TABLE orders ALTER COLUMN note SET DATA TYPE VARCHAR;
ALTER TABLE order_line_items ALTER COLUMN sku SET DATA TYPE VARCHAR;
ALTER TABLE order_line_items ALTER COLUMN title SET DATA TYPE VARCHAR;
ALTER TABLE order_line_items ALTER COLUMN variant_id SET DATA TYPE VARCHAR;

-- Failed orders carry the order's name when known and when they are next retried (backoff).
ALTER TABLE failed_orders ADD COLUMN name VARCHAR;
ALTER TABLE failed_orders ADD COLUMN next_retry_at TIMESTAMP WITH TIME ZONE;
UPDATE failed_orders SET next_retry_at = last_failed_at;
CREATE INDEX failed_orders_due ON failed_orders (shop, next_retry_at);
