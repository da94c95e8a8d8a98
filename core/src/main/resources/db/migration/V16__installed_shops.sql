-- Issue 25: shops that merchants install themselves (OAuth) are data, served by every instance
-- and kept across restarts. A row with installed_at came through /shopify/callback; a row without
-- it only holds a configured shop's state. REMOVED (`shops remove`) keeps the shop's data.
ALTER TABLE shops ADD COLUMN installed_at TIMESTAMP WITH TIME ZONE;
ALTER TABLE shops ADD COLUMN scopes VARCHAR(1000);

-- The state nonce of each install begun (/shopify/install, `shops install-link`): single use,
-- bound to its shop, valid 10 minutes, so that any instance can finish the install.
CREATE TABLE install_states (
    nonce       VARCHAR(64)  NOT NULL PRIMARY KEY,
    shop        VARCHAR(255) NOT NULL,
    issued_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    expires_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    used_at     TIMESTAMP WITH TIME ZONE
);
