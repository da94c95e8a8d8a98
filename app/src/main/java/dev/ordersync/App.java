package dev.ordersync;

import dev.ordersync.config.AppConfig;
import dev.ordersync.config.ShopConfig;
import dev.ordersync.db.Database;
import dev.ordersync.orders.FailedOrders;
import dev.ordersync.orders.OrderBatches;
import dev.ordersync.orders.OrderStore;
import dev.ordersync.orders.StoredOrders;
import dev.ordersync.reconcile.NightlyReconciliation;
import dev.ordersync.reconcile.ReconcileReport;
import dev.ordersync.reconcile.Reconciler;
import dev.ordersync.reconcile.ReconcileRuns;
import dev.ordersync.reconcile.ShopZones;
import dev.ordersync.shopify.Backoff;
import dev.ordersync.shopify.Secret;
import dev.ordersync.shopify.ShopifyClient;
import dev.ordersync.shopify.ShopifyOrders;
import dev.ordersync.shopify.Sleeper;
import dev.ordersync.sync.Checkpoints;
import dev.ordersync.sync.CrashPoints;
import dev.ordersync.sync.PassLog;
import dev.ordersync.sync.PassResult;
import dev.ordersync.sync.Refetch;
import dev.ordersync.sync.Settled;
import dev.ordersync.sync.SyncPass;
import dev.ordersync.sync.Window;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import dev.ordersync.webhook.WebhookInbox;
import dev.ordersync.webhook.WebhookIntake;
import dev.ordersync.webhook.WebhookProcessor;
import dev.ordersync.webhook.WebhookStats;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The composition root: builds every part of order-sync by hand, once, from a config, a database
 * URL and the few things tests replace (the clock, how to wait, where to crash).
 */
public final class App implements AutoCloseable {
  private final AppConfig config;
  private final Clock clock;
  private final Database db;
  private final OrderStore store = new OrderStore();
  private final StoredOrders storedOrders;
  private final FailedOrders failedOrders;
  private final OrderBatches batches;
  private final Refetch refetch;
  private final Checkpoints checkpoints;
  private final PassLog passLog;
  private final SyncPass syncPass;
  private final ReconcileRuns reconcileRuns;
  private final Reconciler reconciler;
  private final WebhookInbox webhookInbox;
  private final WebhookProcessor webhookProcessor;
  private final Map<String, ShopifyOrders> shops = new LinkedHashMap<>();
  private final WebhookStats webhookStats;
  private final Settled settled;
  private final ShopZones zones;
  private final NightlyReconciliation nightly;

  /** What tests and the demo replace; production uses {@link #production()}. */
  public record Options(Clock clock, Sleeper sleeper, CrashPoints crashPoints, long seed) {
    public static Options production() {
      return new Options(Clock.systemUTC(), Sleeper.real(), CrashPoints.NONE,
          new Random().nextLong());
    }
  }

  private App(AppConfig config, Database db, Options options) {
    this.config = config;
    this.clock = options.clock();
    this.db = db;
    this.storedOrders = new StoredOrders(db);
    this.failedOrders = new FailedOrders(db);
    this.batches = new OrderBatches(db, store, failedOrders, clock);
    this.checkpoints = new Checkpoints(db);
    this.passLog = new PassLog(db);
    this.refetch = new Refetch(batches);
    this.syncPass = new SyncPass(db, batches, refetch, failedOrders, storedOrders, checkpoints,
        passLog, config.sync(), clock, options.crashPoints());
    this.reconcileRuns = new ReconcileRuns(db);
    this.reconciler = new Reconciler(batches, storedOrders, reconcileRuns, clock);
    HttpClient http = ShopifyClient.newHttpClient(config.client().connectTimeout());
    long seed = options.seed();
    for (ShopConfig shop : config.shops()) {
      ShopifyClient client = new ShopifyClient(shop.domain(), shop.endpoint(), shop.token(), http,
          config.client().requestTimeout(), clock, options.sleeper(),
          new Backoff(Duration.ofMillis(500), Duration.ofSeconds(30),
              config.client().maxAttempts(), new Random(seed++)));
      shops.put(shop.domain(), new ShopifyOrders(client));
    }
    this.webhookInbox = new WebhookInbox(db);
    this.webhookStats = new WebhookStats(shops.keySet());
    this.webhookProcessor = new WebhookProcessor(db, webhookInbox, batches, store, shops::get,
        webhookStats, clock);
    this.settled = new Settled(config.sync().settleLag(), clock);
    this.zones = new ShopZones(db, s -> config.shop(s).flatMap(ShopConfig::timezone),
        shops::get, clock);
    this.nightly = new NightlyReconciliation(db, reconciler, zones, settled,
        config.reconcile().nightlyAt(), config.reconcile().days(), clock);
  }

  public static App open(AppConfig config, String jdbcUrl, Options options) {
    Database db = Database.open(jdbcUrl, 8);
    return new App(config, db, options);
  }

  /** One incremental pass per shop. One shop's failure never stops the others. */
  public List<PassResult> syncOnce() {
    List<PassResult> results = new ArrayList<>();
    for (ShopifyOrders api : shops.values()) {
      results.add(syncPass.run(api));
    }
    return results;
  }

  public PassResult syncOnce(String shop) {
    return syncPass.run(api(shop));
  }

  /** The shop's IANA time zone: from the config, else as Shopify gave it (kept). */
  public ZoneId zoneOf(String shop) {
    return zones.zoneOf(shop);
  }

  public ShopZones zones() {
    return zones;
  }

  public List<String> shopNames() {
    return List.copyOf(shops.keySet());
  }

  /** Reconciles shop-local calendar days of every shop (one report per shop and day). */
  public List<ReconcileReport> reconcileDays(List<LocalDate> dates, ReconcileReport.Kind kind,
      boolean full) {
    List<ReconcileReport> out = new ArrayList<>();
    for (String shop : shops.keySet()) {
      ZoneId zone = zoneOf(shop);
      for (LocalDate date : dates) {
        Window day = clampToSettled(Reconciler.day(date, zone));
        out.add(reconciler.reconcile(api(shop), day, kind, date, full));
      }
    }
    return out;
  }

  /** The previous {@code days} shop-local days of one shop, newest first. */
  public List<LocalDate> previousDays(String shop, int days) {
    return NightlyReconciliation.previousDays(clock.instant(), zoneOf(shop), days);
  }

  /** The nightly job: each shop's previous days, in its own time zone. */
  public List<ReconcileReport> nightly() {
    List<ReconcileReport> out = new ArrayList<>();
    for (String shop : shops.keySet()) {
      out.addAll(nightly(shop));
    }
    return out;
  }

  public List<ReconcileReport> nightly(String shop) {
    return nightly.run(api(shop));
  }

  /** Each shop's nightly reconciliation where it is due (see NightlyReconciliation). */
  public List<ReconcileReport> nightlyWhereDue() {
    List<ReconcileReport> out = new ArrayList<>();
    for (ShopifyOrders api : shops.values()) {
      out.addAll(nightly.runIfDue(api));
    }
    return out;
  }

  /**
   * The sweep, every few minutes: compares the orders created in the last hours of every shop
   * with Shopify and imports the missing; then reads the last two sweep intervals of updates
   * again, for updates Shopify's search showed later than the settle lag (up to one interval
   * late).
   */
  public List<ReconcileReport> sweep() {
    List<ReconcileReport> out = new ArrayList<>();
    Instant end = settled.end();
    Window created = new Window(end.minus(config.reconcile().sweepLookback()), end);
    Window updated = new Window(end.minus(config.reconcile().sweepInterval().multipliedBy(2)),
        end);
    for (String shop : shops.keySet()) {
      out.add(reconciler.reconcile(api(shop), created, ReconcileReport.Kind.SWEEP, null, false));
      syncPass.reread(api(shop), updated);
    }
    return out;
  }

  /** A window that reaches past what Shopify's search has settled is cut at the settle lag. */
  public Window clampToSettled(Window w) {
    return settled.clamp(w);
  }

  public ShopifyOrders api(String shop) {
    ShopifyOrders api = shops.get(shop);
    if (api == null) {
      throw new IllegalArgumentException("unknown shop '" + shop + "'; configured: "
          + String.join(", ", shops.keySet()));
    }
    return api;
  }

  /** The webhook intake for the shops' secrets; {@code wake} is told of each new delivery. */
  public WebhookIntake webhookIntake(Runnable wake) {
    Map<String, List<Secret>> secrets = new LinkedHashMap<>();
    for (ShopConfig shop : config.shops()) {
      secrets.put(shop.domain(), shop.webhookSecrets());
    }
    return new WebhookIntake(secrets, webhookInbox, webhookStats, clock,
        config.webhooks().maxAge(), wake);
  }

  public WebhookStats webhookStats() {
    return webhookStats;
  }

  public WebhookInbox webhookInbox() {
    return webhookInbox;
  }

  public WebhookProcessor webhookProcessor() {
    return webhookProcessor;
  }

  public AppConfig config() {
    return config;
  }

  public Clock clock() {
    return clock;
  }

  public Database db() {
    return db;
  }

  public OrderStore orderStore() {
    return store;
  }

  public StoredOrders storedOrders() {
    return storedOrders;
  }

  public FailedOrders failedOrders() {
    return failedOrders;
  }

  public Refetch refetch() {
    return refetch;
  }

  public OrderBatches orderBatches() {
    return batches;
  }

  public Checkpoints checkpoints() {
    return checkpoints;
  }

  public PassLog passLog() {
    return passLog;
  }

  public Reconciler reconciler() {
    return reconciler;
  }

  public ReconcileRuns reconcileRuns() {
    return reconcileRuns;
  }

  @Override
  public void close() {
    db.close();
  }
}
