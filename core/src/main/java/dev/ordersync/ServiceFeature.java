package dev.ordersync;

import dev.ordersync.alerts.AlertConditions;
import dev.ordersync.alerts.AlertLog;
import dev.ordersync.alerts.Alerts;
import dev.ordersync.config.AppConfig;
import dev.ordersync.dashboard.DashboardHttp;
import dev.ordersync.dashboard.FormToken;
import dev.ordersync.db.Database;
import dev.ordersync.feed.FeedHttp;
import dev.ordersync.install.InstallHttp;
import dev.ordersync.service.HttpApi;
import dev.ordersync.service.Jobs;
import dev.ordersync.service.Metrics;
import dev.ordersync.service.RunningJobs;
import dev.ordersync.service.Service;
import dev.ordersync.service.ShopJobs;
import dev.ordersync.shopify.StopSignal;
import dev.ordersync.status.Instances;
import dev.ordersync.status.StatusReader;
import dev.ordersync.webhook.WebhookWorker;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * Running order-sync ({@code run}): the jobs on their schedule, the HTTP side (webhooks, feed,
 * dashboard, metrics, installs), what the status says and when it alerts; the database it runs on.
 */
public final class ServiceFeature {
  private final AppConfig config;
  private final Database db;
  private final AppOptions options;
  private final StopSignal stopSignal;
  private final ShopsFeature shops;
  private final SyncFeature sync;
  private final ReconcileFeature reconcile;
  private final WebhooksFeature webhooks;
  private final FeedFeature feed;
  private final RunningJobs runningJobs;
  private final StatusReader status;

  ServiceFeature(
      AppConfig config,
      Database db,
      AppOptions options,
      StopSignal stopSignal,
      OrdersFeature orders,
      ShopsFeature shops,
      SyncFeature sync,
      ReconcileFeature reconcile,
      WebhooksFeature webhooks,
      FeedFeature feed) {
    this.config = config;
    this.db = db;
    this.options = options;
    this.stopSignal = stopSignal;
    this.shops = shops;
    this.sync = sync;
    this.reconcile = reconcile;
    this.webhooks = webhooks;
    this.feed = feed;
    this.runningJobs = new RunningJobs(options.clock(), config.run().threads());
    this.status =
        new StatusReader(
            shops.apis(),
            sync.checkpoints(),
            sync.passLog(),
            orders.stored(),
            orders.failed(),
            reconcile.runs(),
            webhooks.inbox(),
            feed.changes(),
            feed.pushTargets(),
            reconcile.zones()::known,
            new Instances(db),
            shops.states()::all);
  }

  /** {@code run}: the jobs on their schedule, the webhook worker and the HTTP side. */
  public Service create() {
    WebhookWorker worker = webhooks.worker();
    return new Service(db, jobs(), worker, httpApi(worker::wake), shops.apis().names(), stopSignal);
  }

  /** The HTTP side over a webhook intake that tells {@code wake} of each new delivery. */
  public HttpApi httpApi(Runnable wake) {
    return httpApi(wake, HttpApi.IDLE_TIMEOUT);
  }

  public HttpApi httpApi(Runnable wake, Duration idleTimeout) {
    return new HttpApi(
        webhooks.intake(wake),
        new FeedHttp(feed.changes()),
        new Metrics(
            status,
            shops.apis(),
            webhooks.stats(),
            config.feed().push().isPresent(),
            runningJobs,
            options.clock()),
        new DashboardHttp(
            status,
            sync.failedOrderRetry(),
            FormToken.of(config.http().apiTokens()),
            options.clock()),
        db,
        config.http().apiTokens(),
        idleTimeout,
        shops.installs().map(InstallHttp::new));
  }

  /** Starts a shop's jobs on the cluster (an install, a resume) with no restart. */
  public ShopJobs shopJobs() {
    return jobs().shopJobs(db, options.wall());
  }

  /** The shops' jobs this instance runs: its share of the cluster's work. */
  public RunningJobs runningJobs() {
    return runningJobs;
  }

  public StatusReader status() {
    return status;
  }

  /** The alerts, when {@code alerts.webhookUrl} is configured. */
  public Optional<Alerts> alerts() {
    return config
        .alerts()
        .webhookUrl()
        .map(
            url ->
                new Alerts(
                    new AlertConditions(status, config.alerts(), options.clock()),
                    new AlertLog(db),
                    config.alerts(),
                    OutboundHttp.client(config),
                    options.clock()));
  }

  public Database db() {
    return db;
  }

  /** order-sync's own time (a test's or the chaos run's, when they drive it). */
  public Clock clock() {
    return options.clock();
  }

  private Jobs jobs() {
    return new Jobs(
        sync.passes(),
        reconcile.sweep(),
        reconcile.nightly(),
        config.syncInterval(),
        config.reconcile().sweepInterval(),
        feed.changes(),
        webhooks.retention(),
        feed.push(),
        alerts(),
        options.time(),
        runningJobs,
        shop -> shops.apis().find(shop) == null ? null : shops.states().of(shop));
  }
}
