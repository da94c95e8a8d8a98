-- Access tokens order-sync obtained itself (client credentials grant, refreshed offline
-- tokens), shared by every process and instance on this database, and the latest refresh token
-- of an expiring offline token, which rotates on every use: written here before the access
-- token it came with is used. Values are encrypted with ORDER_SYNC_SECRET_KEY when it is set.
CREATE TABLE shop_tokens (
    shop               VARCHAR(255) NOT NULL PRIMARY KEY,
    access_token       VARCHAR,
    access_expires_at  TIMESTAMP WITH TIME ZONE,
    refresh_token      VARCHAR,
    updated_at         TIMESTAMP WITH TIME ZONE NOT NULL
);
