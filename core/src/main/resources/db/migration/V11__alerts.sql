-- Alerts raised to alerts.webhookUrl (issue 17): one row per condition while it holds, so each is
-- sent once, and once more when it clears (then the row goes). A send that failed is retried at
-- next_attempt_at.
CREATE TABLE alerts (
    alert_key        VARCHAR(255) NOT NULL PRIMARY KEY,
    summary          VARCHAR      NOT NULL,
    opened_at        TIMESTAMP WITH TIME ZONE NOT NULL,
    opened_sent      BOOLEAN      NOT NULL,
    resolved_at      TIMESTAMP WITH TIME ZONE,
    attempts         INTEGER      NOT NULL,
    next_attempt_at  TIMESTAMP WITH TIME ZONE NOT NULL
);
