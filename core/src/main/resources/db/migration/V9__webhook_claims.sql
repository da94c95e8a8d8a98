-- A pending delivery is claimed by one processing instance at a time (issue 16): claimed_until
-- passes when the instance died, and the next claim takes the delivery over.
ALTER TABLE webhook_deliveries ADD COLUMN claimed_by VARCHAR(64);
ALTER TABLE webhook_deliveries ADD COLUMN claimed_until TIMESTAMP WITH TIME ZONE;
