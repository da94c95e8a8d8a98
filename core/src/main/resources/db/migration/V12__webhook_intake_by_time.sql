-- The dashboard's webhook intake per hour (issue 17) reads a shop's deliveries of the last day;
-- without this it would read the whole table, which keeps every delivery.
CREATE INDEX webhook_deliveries_received ON webhook_deliveries (shop, received_at);
