-- Webhook deliveries, recorded before they are acknowledged and processed from here.
CREATE TABLE webhook_deliveries (
    shop            VARCHAR(255)  NOT NULL,
    webhook_id      VARCHAR(255)  NOT NULL,   -- X-Shopify-Webhook-Id: one per delivery
    topic           VARCHAR(64)   NOT NULL,
    event_id        VARCHAR(255),
    api_version     VARCHAR(32),
    triggered_at    VARCHAR(64),
    received_at     TIMESTAMP WITH TIME ZONE NOT NULL,
    body            TEXT          NOT NULL,
    status          VARCHAR(16)   NOT NULL,   -- PENDING, PROCESSED, FAILED, IGNORED
    attempts        INTEGER       NOT NULL,
    processed_at    TIMESTAMP WITH TIME ZONE,
    error           VARCHAR(4000),
    PRIMARY KEY (shop, webhook_id)
);

CREATE INDEX webhook_deliveries_pending ON webhook_deliveries (status, received_at);

-- What the intake saw, per shop (rejected deliveries have no row above).
CREATE TABLE webhook_counters (
    shop              VARCHAR(255) NOT NULL PRIMARY KEY,
    received          BIGINT       NOT NULL,
    rejected          BIGINT       NOT NULL,
    duplicates        BIGINT       NOT NULL,
    last_received_at  TIMESTAMP WITH TIME ZONE
);

-- db-scheduler's table (its PostgreSQL DDL; runs on H2 too).
CREATE TABLE scheduled_tasks (
    task_name            TEXT                     NOT NULL,
    task_instance        TEXT                     NOT NULL,
    task_data            BYTEA,
    execution_time       TIMESTAMP WITH TIME ZONE NOT NULL,
    picked               BOOLEAN                  NOT NULL,
    picked_by            TEXT,
    last_success         TIMESTAMP WITH TIME ZONE,
    last_failure         TIMESTAMP WITH TIME ZONE,
    consecutive_failures INT,
    last_heartbeat       TIMESTAMP WITH TIME ZONE,
    version              BIGINT                   NOT NULL,
    priority             SMALLINT,
    PRIMARY KEY (task_name, task_instance)
);

CREATE INDEX execution_time_idx ON scheduled_tasks (execution_time);
CREATE INDEX last_heartbeat_idx ON scheduled_tasks (last_heartbeat);
CREATE INDEX priority_execution_time_idx ON scheduled_tasks (priority DESC, execution_time ASC);
