-- The OMS feed (issue 15): every change to a stored order, numbered in commit order. A writing
-- transaction numbers its changes last, holding feed_head's row lock until it commits, so the
-- committed changes are always 1..n with no gap: a reader that has seen n has seen everything
-- before it. Orders stored before this migration have no change: start from orders export.
CREATE TABLE order_changes (
    seq         BIGINT       NOT NULL PRIMARY KEY,
    shop        VARCHAR(255) NOT NULL,
    order_id    VARCHAR(64)  NOT NULL,
    kind        VARCHAR(16)  NOT NULL,   -- CREATED, UPDATED, DELETED
    updated_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    stored_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    path        VARCHAR(16)  NOT NULL
);

CREATE INDEX order_changes_shop ON order_changes (shop, seq);
CREATE INDEX order_changes_stored ON order_changes (stored_at);

CREATE TABLE feed_head (
    id              INTEGER NOT NULL PRIMARY KEY,
    head            BIGINT  NOT NULL,   -- the last number given
    pruned_through  BIGINT  NOT NULL    -- changes up to this one were deleted (retention)
);

INSERT INTO feed_head (id, head, pruned_through) VALUES (1, 0, 0);

-- Where each push target stands: acknowledged up to position; the failures since (retried with
-- backoff), or why it stopped (a 4xx: fixed by hand, then run restarted).
CREATE TABLE feed_consumers (
    name             VARCHAR(64)  NOT NULL PRIMARY KEY,
    target           VARCHAR      NOT NULL,   -- the URL, without user info or query
    position         BIGINT       NOT NULL,
    acknowledged_at  TIMESTAMP WITH TIME ZONE,
    attempts         INTEGER      NOT NULL,   -- failed attempts at the batch after position
    next_attempt_at  TIMESTAMP WITH TIME ZONE,
    last_error       VARCHAR,
    stopped_at       TIMESTAMP WITH TIME ZONE,
    stopped_reason   VARCHAR
);
