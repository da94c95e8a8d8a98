-- The bulk query operations order-sync started (issue 14), one a window: kept so that an import
-- that died resumes its operation (Shopify keeps the results seven days) instead of starting
-- another, and skips the lines it already stored. finished_at is set when the window is done,
-- by the operation or, when it failed, by paging.
CREATE TABLE bulk_imports (
    operation_id   VARCHAR(128) NOT NULL PRIMARY KEY,
    shop           VARCHAR(255) NOT NULL,
    field          VARCHAR(16)  NOT NULL,   -- created_at or updated_at
    window_start   TIMESTAMP WITH TIME ZONE NOT NULL,
    window_end     TIMESTAMP WITH TIME ZONE NOT NULL,
    started_at     TIMESTAMP WITH TIME ZONE NOT NULL,
    lines_done     BIGINT       NOT NULL,   -- the results' lines stored so far, in file order
    orders_stored  BIGINT       NOT NULL,
    finished_at    TIMESTAMP WITH TIME ZONE,
    outcome        VARCHAR(32)              -- COMPLETED, or what ended it (FAILED: TIMEOUT, ...)
);

CREATE INDEX bulk_imports_open ON bulk_imports (shop, field, window_start);
