-- Issue 24. The version a failure is about (its updatedAt, when the payload says it): only a stored
-- version at least as new resolves it, never an older one arriving late.
ALTER TABLE failed_orders ADD COLUMN failed_updated_at TIMESTAMP WITH TIME ZONE;

-- The push is fenced like the webhook claims: a batch's position is acknowledged only by the
-- instance that claimed it, and only from the position it read after.
ALTER TABLE feed_consumers ADD COLUMN claimed_by VARCHAR(64);
ALTER TABLE feed_consumers ADD COLUMN claimed_until TIMESTAMP WITH TIME ZONE;

-- A token renewal is leased, not done under the row's lock: the request to Shopify runs outside
-- any transaction; others wait for the lease's new token, or take over a lease that ran out.
ALTER TABLE shop_tokens ADD COLUMN renewing_by VARCHAR(64);
ALTER TABLE shop_tokens ADD COLUMN renewing_until TIMESTAMP WITH TIME ZONE;
