package dev.ordersync.webhook;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes the deliveries settled longer ago than {@code webhooks.retention}: each body is a whole
 * order with its customer's data, and once the order is stored nothing needs it but {@code orders
 * show}'s story of that order.
 */
public final class WebhookRetention {
  private static final Logger log = LoggerFactory.getLogger(WebhookRetention.class);

  private final WebhookInbox inbox;
  private final Duration retention;
  private final Clock clock;

  public WebhookRetention(WebhookInbox inbox, Duration retention, Clock clock) {
    this.inbox = inbox;
    this.retention = retention;
    this.clock = clock;
  }

  /** Deletes what is older than the retention; how many deliveries. */
  public int prune() {
    Instant cutoff = clock.instant().minus(retention);
    int deleted = inbox.prune(cutoff);
    if (deleted > 0) {
      log.info(
          "webhooks: deleted {} settled deliveries received before {} (webhooks.retention {})",
          deleted,
          cutoff,
          retention);
    }
    return deleted;
  }
}
