package dev.ordersync;

import dev.ordersync.config.AppConfig;
import dev.ordersync.config.ShopDomain;
import dev.ordersync.db.Database;
import dev.ordersync.orders.Redactions;
import dev.ordersync.webhook.ComplianceDeliveries;
import dev.ordersync.webhook.WebhookInbox;
import dev.ordersync.webhook.WebhookIntake;
import dev.ordersync.webhook.WebhookProcessor;
import dev.ordersync.webhook.WebhookRetention;
import dev.ordersync.webhook.WebhookStats;
import dev.ordersync.webhook.WebhookWorker;
import java.time.Clock;

/**
 * Shopify's webhooks: the intake that verifies and keeps each delivery before its 200, the inbox,
 * and the worker that stores what the inbox holds (orders, and the privacy requests).
 */
public final class WebhooksFeature {
  private final AppConfig config;
  private final Database db;
  private final Clock clock;
  private final ShopsFeature shops;
  private final WebhookInbox inbox;
  private final WebhookStats stats;
  private final WebhookProcessor processor;

  WebhooksFeature(
      AppConfig config, Database db, Clock clock, OrdersFeature orders, ShopsFeature shops) {
    this.config = config;
    this.db = db;
    this.clock = clock;
    this.shops = shops;
    this.inbox = new WebhookInbox(db);
    this.stats =
        new WebhookStats(s -> ShopDomain.parse(s).map(shops.signing()::known).orElse(false));
    stats.restore(inbox.refusals());
    this.processor =
        new WebhookProcessor(
            db,
            inbox,
            orders.batches(),
            shops.apis()::find,
            stats,
            new ComplianceDeliveries(
                db, inbox, new Redactions(orders.changeLog()), shops.states(), clock),
            clock);
  }

  /** Deletes the settled deliveries older than {@code webhooks.retention}. */
  public WebhookRetention retention() {
    return new WebhookRetention(inbox, config.webhooks().retention(), clock);
  }

  /** The intake for the shops' secrets; {@code wake} is told of each new delivery. */
  public WebhookIntake intake(Runnable wake) {
    return new WebhookIntake(
        shops.signing()::secretsOf,
        shops.signing()::takesOrders,
        inbox,
        stats,
        clock,
        config.webhooks().maxAge(),
        db.isPostgres(),
        wake);
  }

  /** Stores what the inbox holds, and keeps the count of refused deliveries. */
  public WebhookWorker worker() {
    return new WebhookWorker(
        processor,
        () -> {
          var refusals = stats.takeRefusals();
          try {
            inbox.recordRefusals(refusals, clock.instant());
          } catch (RuntimeException e) {
            stats.giveBack(refusals);
            throw e;
          }
        });
  }

  public WebhookInbox inbox() {
    return inbox;
  }

  public WebhookStats stats() {
    return stats;
  }

  public WebhookProcessor processor() {
    return processor;
  }
}
