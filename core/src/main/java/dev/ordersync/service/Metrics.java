package dev.ordersync.service;

import dev.ordersync.config.ShopDomain;
import dev.ordersync.feed.FeedPush;
import dev.ordersync.feed.FeedStatus;
import dev.ordersync.feed.PushTargets;
import dev.ordersync.orders.StorePath;
import dev.ordersync.shopify.ApiMeter;
import dev.ordersync.shopify.ShopifyClient;
import dev.ordersync.shopify.Shops;
import dev.ordersync.status.ShopStatus;
import dev.ordersync.status.StatusReader;
import dev.ordersync.webhook.WebhookStats;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * {@code /metrics} in Prometheus format, per shop: orders stored by path, how far the sync lags,
 * failures, API cost and throttling, reconciliation status and missing counts, webhooks. The
 * figures from the store are read once per scrape at most every few seconds.
 */
public final class Metrics {
  private static final Duration CACHE = Duration.ofSeconds(5);
  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final StatusReader status;
  private final Clock clock;
  private final Shops shops;
  private final WebhookStats stats;
  private final java.util.Set<ShopDomain> metered = new java.util.HashSet<>();
  private volatile List<ShopStatus> cached = List.of();
  private volatile Instant cachedAt = Instant.EPOCH;
  private volatile FeedStatus cachedFeed = new FeedStatus(0, 0, List.of());

  public Metrics(
      StatusReader status,
      Shops shops,
      WebhookStats stats,
      boolean pushing,
      RunningJobs jobs,
      Clock clock) {
    this.status = status;
    this.clock = clock;
    feedGauges(pushing);
    jobGauges(jobs);
    this.shops = shops;
    this.stats = stats;
    webhookMeters(WebhookStats.UNKNOWN_SHOP);
    registerNewShops();
  }

  /**
   * Meters for each shop not metered yet: the configured ones at start, an installed one at the
   * first scrape after its install (on every instance).
   */
  private synchronized void registerNewShops() {
    for (ShopDomain shop : shops.names()) {
      if (metered.add(shop)) {
        shopMeters(shop);
        webhookMeters(shop.value());
      }
    }
  }

  private void shopMeters(ShopDomain shop) {
    Tags tags = Tags.of("shop", shop.value());
    ApiMeter meter = shops.get(shop).client().meter();
    FunctionCounter.builder("ordersync_api_cost_points", meter, ApiMeter::cost)
        .tags(tags)
        .description("GraphQL cost actually used")
        .register(registry);
    FunctionCounter.builder("ordersync_api_requests", meter, ApiMeter::requests)
        .tags(tags)
        .description("requests sent to Shopify's Admin API")
        .register(registry);
    FunctionCounter.builder("ordersync_api_throttled", meter, ApiMeter::throttled)
        .tags(tags)
        .description("requests Shopify throttled")
        .register(registry);
    FunctionCounter.builder("ordersync_api_retries", meter, ApiMeter::retries)
        .tags(tags)
        .description("retries after transient failures")
        .register(registry);
    FunctionCounter.builder("ordersync_api_wait_seconds", meter, m -> m.waitedMillis() / 1000.0)
        .tags(tags)
        .description("time spent waiting for budget or backoff")
        .register(registry);
    ShopifyClient client = shops.get(shop).client();
    Gauge.builder("ordersync_api_version_mismatch", client, c -> c.apiVersions().mismatch() ? 1 : 0)
        .tags(tags)
        .description(
            "1 when Shopify answers with another API version than the "
                + "configured one (no longer served)")
        .register(registry);
    Gauge.builder(
            "ordersync_api_deprecations_used", client, c -> c.apiVersions().deprecations().size())
        .tags(tags)
        .description("deprecated fields Shopify says order-sync's queries use")
        .register(registry);
    for (StorePath path : StorePath.values()) {
      gauge(
          "ordersync_orders_stored",
          tags.and("path", path.name()),
          shop,
          s -> s.storedByPath().getOrDefault(path.name(), 0L));
    }
    gauge(
        "ordersync_sync_lag_seconds",
        tags,
        shop,
        s ->
            s.checkpoint()
                .map(cp -> (double) Duration.between(cp.watermark(), clock.instant()).toSeconds())
                .orElse(Double.NaN));
    gauge(
        "ordersync_sync_last_success_age_seconds",
        tags,
        shop,
        s ->
            s.checkpoint()
                .filter(cp -> cp.lastSuccessAt() != null)
                .map(
                    cp ->
                        (double) Duration.between(cp.lastSuccessAt(), clock.instant()).toSeconds())
                .orElse(Double.NaN));
    gauge(
        "ordersync_sync_consecutive_failures",
        tags,
        shop,
        s -> s.checkpoint().map(cp -> (double) cp.consecutiveFailures()).orElse(0.0));
    gauge("ordersync_failed_orders", tags, shop, s -> s.failedOrders().size());
    gauge("ordersync_shop_active", tags, shop, s -> s.active() ? 1 : 0);
    // 0 OK, 1 REPAIRED, 2 MISMATCH, 3 UNREACHABLE (ReconcileReport.Status in order)
    gauge(
        "ordersync_reconcile_status",
        tags,
        shop,
        s ->
            s.recentReconciliations().stream()
                .findFirst()
                .map(r -> (double) r.status().ordinal())
                .orElse(Double.NaN));
    gauge(
        "ordersync_reconcile_still_missing",
        tags,
        shop,
        s ->
            s.recentReconciliations().stream()
                .findFirst()
                .map(r -> (double) r.stillMissing())
                .orElse(0.0));
    gauge(
        "ordersync_reconcile_missing_found",
        tags,
        shop,
        s ->
            s.recentReconciliations().stream()
                .findFirst()
                .map(r -> (double) r.missing().size())
                .orElse(0.0));
    gauge(
        "ordersync_webhooks_received",
        tags,
        shop,
        s -> s.webhooks().map(w -> (double) w.received()).orElse(0.0));
    gauge(
        "ordersync_webhooks_duplicates",
        tags,
        shop,
        s -> s.webhooks().map(w -> (double) w.duplicates()).orElse(0.0));
    gauge(
        "ordersync_webhooks_pending",
        tags,
        shop,
        s -> s.webhooks().map(w -> (double) w.pending()).orElse(0.0));
  }

  /** Refusals and ignored deliveries, counted in memory, by shop ("unknown" for the others). */
  private void webhookMeters(String shop) {
    FunctionCounter.builder("ordersync_webhooks_rejected", stats, w -> w.rejected(shop))
        .tags("shop", shop)
        .description(
            "deliveries refused: bad signature, unknown shop, "
                + "malformed headers or body, a body that does not fit its topic")
        .register(registry);
    for (WebhookStats.Outcome o : WebhookStats.Outcome.values()) {
      FunctionCounter.builder("ordersync_webhooks_outcome", stats, w -> w.total(shop, o))
          .tags("shop", shop, "outcome", o.name().toLowerCase(java.util.Locale.ROOT))
          .description("deliveries refused, kept as failures or ignored, by reason")
          .register(registry);
    }
  }

  /** This instance's share of the cluster's work: each instance is its own scrape target. */
  private void jobGauges(RunningJobs jobs) {
    for (String task : List.of(Jobs.SYNC, Jobs.SWEEP, Jobs.NIGHTLY)) {
      Gauge.builder(
              "ordersync_jobs_running",
              jobs,
              j -> j.snapshot().stream().filter(r -> r.task().equals(task)).count())
          .tags(Tags.of("task", task))
          .description("shops' jobs this instance is running now")
          .register(registry);
    }
    Gauge.builder("ordersync_jobs_threads", jobs, RunningJobs::threads)
        .description("how many shops' jobs this instance may run at once (run.threads)")
        .register(registry);
    FunctionCounter.builder("ordersync_jobs_completed", jobs, RunningJobs::completed)
        .description("shops' jobs this instance has run since it started")
        .register(registry);
  }

  private void feedGauges(boolean pushing) {
    Gauge.builder("ordersync_feed_head", this, m -> m.feed().head())
        .description("the number of the feed's last change")
        .register(registry);
    if (!pushing) {
      return;
    }
    Tags tags = Tags.of("target", FeedPush.NAME);
    Gauge.builder("ordersync_feed_push_position", this, m -> push(m, PushTargets.Target::position))
        .tags(tags)
        .description("the last change the push receiver acknowledged")
        .register(registry);
    Gauge.builder("ordersync_feed_push_lag", this, m -> push(m, t -> m.feed().lag(t)))
        .tags(tags)
        .description("changes the push receiver has not acknowledged yet")
        .register(registry);
    Gauge.builder("ordersync_feed_push_stopped", this, m -> push(m, t -> t.stopped() ? 1 : 0))
        .tags(tags)
        .description("1 when the receiver refused a batch and the push stopped")
        .register(registry);
    Gauge.builder("ordersync_feed_push_failed_attempts", this, m -> push(m, t -> t.attempts()))
        .tags(tags)
        .description("failed attempts at the batch the push is sending")
        .register(registry);
  }

  private static double push(Metrics m, ToDoubleFunction<PushTargets.Target> f) {
    return m.feed().targets().stream()
        .filter(t -> t.name().equals(FeedPush.NAME))
        .mapToDouble(f)
        .findFirst()
        .orElse(Double.NaN);
  }

  public String scrape() {
    registerNewShops();
    return registry.scrape();
  }

  /** What each shop gauge means: Prometheus' HELP line. */
  private static final java.util.Map<String, String> HELP =
      java.util.Map.ofEntries(
          java.util.Map.entry(
              "ordersync_orders_stored", "orders stored, by the path that first stored them"),
          java.util.Map.entry(
              "ordersync_sync_lag_seconds", "how far the watermark trails now (seconds)"),
          java.util.Map.entry(
              "ordersync_sync_last_success_age_seconds", "seconds since the last successful pass"),
          java.util.Map.entry(
              "ordersync_sync_consecutive_failures", "passes failed in a row (0 after a success)"),
          java.util.Map.entry(
              "ordersync_failed_orders", "orders kept in failed_orders, not resolved yet"),
          java.util.Map.entry(
              "ordersync_shop_active",
              "1 while the shop's jobs call Shopify; 0 when paused, uninstalled or removed"),
          java.util.Map.entry(
              "ordersync_reconcile_status",
              "the last reconciliation: 0 OK, 1 REPAIRED, 2 MISMATCH, 3 UNREACHABLE"),
          java.util.Map.entry(
              "ordersync_reconcile_still_missing",
              "orders the last reconciliation found missing and could not import"),
          java.util.Map.entry(
              "ordersync_reconcile_missing_found",
              "orders the last reconciliation found missing (imported or not)"),
          java.util.Map.entry(
              "ordersync_webhooks_received",
              "webhook deliveries recorded (duplicates not counted)"),
          java.util.Map.entry(
              "ordersync_webhooks_duplicates", "webhook deliveries that were recorded before"),
          java.util.Map.entry(
              "ordersync_webhooks_pending", "webhook deliveries recorded, not processed yet"));

  private void gauge(String name, Tags tags, ShopDomain shop, ToDoubleFunction<ShopStatus> f) {
    Gauge.builder(name, this, m -> m.status(shop).map(f::applyAsDouble).orElse(Double.NaN))
        .tags(tags)
        .description(HELP.get(name))
        .register(registry);
  }

  private java.util.Optional<ShopStatus> status(ShopDomain shop) {
    refresh();
    return cached.stream().filter(s -> s.shop().equals(shop.value())).findFirst();
  }

  private FeedStatus feed() {
    refresh();
    return cachedFeed;
  }

  private void refresh() {
    Instant now = clock.instant();
    if (Duration.between(cachedAt, now).compareTo(CACHE) > 0) {
      synchronized (this) {
        if (Duration.between(cachedAt, now).compareTo(CACHE) > 0) {
          try {
            cached = status.read();
            cachedFeed = status.feed();
          } catch (RuntimeException e) {
            // the database is away: the gauges say NaN, /readyz says why
            cached = List.of();
            cachedFeed = new FeedStatus(0, 0, List.of());
          }
          cachedAt = now;
        }
      }
    }
  }
}
