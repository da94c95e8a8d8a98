-- What order-sync knows of each shop between runs: its time zone (read from Shopify once, so
-- that `run` starts and schedules while Shopify is unreachable) and the shop-local day whose
-- nightly reconciliation has run.
CREATE TABLE shops (
    domain            VARCHAR(255) NOT NULL PRIMARY KEY,
    iana_timezone     VARCHAR(64),
    timezone_read_at  TIMESTAMP WITH TIME ZONE,
    nightly_done_for  DATE
);
