-- Issue 26: deliveries refused, per shop and reason, kept across restarts: a wrong webhook secret
-- must show on the dashboard, in `webhooks status`, in /metrics and in doctor, not only in a
-- counter that a restart forgets. Counted in memory and added here every few seconds, so that a
-- flood of forged requests costs the database nothing per request. shop 'unknown' for a domain
-- order-sync does not serve.
CREATE TABLE webhook_refusals (
    shop      VARCHAR(255) NOT NULL,
    reason    VARCHAR(32)  NOT NULL,   -- WebhookStats.Outcome: REJECTED_SIGNATURE, ...
    refused   BIGINT       NOT NULL,
    last_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (shop, reason)
);
