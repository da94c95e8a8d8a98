-- Issue 25: Shopify's compliance webhooks. A customer redacted (customers/redact) stays redacted:
-- a later version of their orders, by any path, is stored without their personal data. Only ids
-- are kept here, never the data itself.
CREATE TABLE redacted_customers (
    shop         VARCHAR(255) NOT NULL,
    customer_id  VARCHAR(64)  NOT NULL,   -- gid://shopify/Customer/…
    redacted_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (shop, customer_id)
);

CREATE TABLE redacted_orders (
    shop         VARCHAR(255) NOT NULL,
    order_id     VARCHAR(64)  NOT NULL,   -- gid://shopify/Order/…
    redacted_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (order_id, shop)
);

-- customers/data_request: recorded, for `shops data-requests` and `orders export --customer`.
CREATE TABLE data_requests (
    shop              VARCHAR(255) NOT NULL,
    request_id        VARCHAR(64)  NOT NULL,
    customer_id       VARCHAR(64),
    orders_requested  VARCHAR,              -- order GIDs, comma-separated
    received_at       TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (shop, request_id)
);

-- Issue 25: a shop's state of its own, shared by every instance: active (the default), paused
-- (`shops pause`), uninstalled (app/uninstalled: no call to Shopify until it is installed again).
ALTER TABLE shops ADD COLUMN status VARCHAR(16);
ALTER TABLE shops ADD COLUMN status_changed_at TIMESTAMP WITH TIME ZONE;
