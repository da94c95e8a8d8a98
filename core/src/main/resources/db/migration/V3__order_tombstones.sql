-- Deletions that arrived before the order did: an orders/delete webhook can overtake the
-- order's own create or update deliveries. A version stored later is stored deleted.
CREATE TABLE order_tombstones (
    shop        VARCHAR(255)  NOT NULL,
    id          VARCHAR(64)   NOT NULL,
    deleted_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (id, shop)
);
