package dev.ordersync;

import dev.ordersync.alerts.AlertConditions;
import dev.ordersync.alerts.AlertLog;
import dev.ordersync.alerts.Alerts;
import dev.ordersync.config.AppConfig;
import dev.ordersync.config.ConfigLoader;
import dev.ordersync.config.Credentials;
import dev.ordersync.config.ShopConfig;
import dev.ordersync.credentials.SecretBox;
import dev.ordersync.credentials.ShopTokens;
import dev.ordersync.credentials.TokenStore;
import dev.ordersync.dashboard.DashboardHttp;
import dev.ordersync.dashboard.FormToken;
import dev.ordersync.db.Database;
import dev.ordersync.feed.Feed;
import dev.ordersync.feed.FeedHttp;
import dev.ordersync.feed.FeedPush;
import dev.ordersync.feed.PushTargets;
import dev.ordersync.install.InstallHttp;
import dev.ordersync.install.InstallStates;
import dev.ordersync.install.ShopInstalls;
import dev.ordersync.orders.ChangeLog;
import dev.ordersync.orders.FailedOrders;
import dev.ordersync.orders.OrderBatches;
import dev.ordersync.orders.OrderDocuments;
import dev.ordersync.orders.OrderStore;
import dev.ordersync.orders.OrderStory;
import dev.ordersync.orders.Redactions;
import dev.ordersync.orders.StoredOrders;
import dev.ordersync.reconcile.NightlyReconciliation;
import dev.ordersync.reconcile.ReconcileRuns;
import dev.ordersync.reconcile.Reconciler;
import dev.ordersync.reconcile.Reconciliations;
import dev.ordersync.reconcile.ShopZones;
import dev.ordersync.reconcile.Sweep;
import dev.ordersync.service.HttpApi;
import dev.ordersync.service.Jobs;
import dev.ordersync.service.Metrics;
import dev.ordersync.service.RunningJobs;
import dev.ordersync.service.Service;
import dev.ordersync.service.ShopJobs;
import dev.ordersync.shopify.Backoff;
import dev.ordersync.shopify.ShopAdmin;
import dev.ordersync.shopify.ShopifyClient;
import dev.ordersync.shopify.ShopifyOrders;
import dev.ordersync.shopify.Shops;
import dev.ordersync.shopify.Sleeper;
import dev.ordersync.shopify.StopSignal;
import dev.ordersync.shops.DataRequests;
import dev.ordersync.shops.InstalledApis;
import dev.ordersync.shops.InstalledShops;
import dev.ordersync.shops.ShopSigning;
import dev.ordersync.shops.ShopStates;
import dev.ordersync.status.Instances;
import dev.ordersync.status.StatusReader;
import dev.ordersync.sync.Backfill;
import dev.ordersync.sync.BulkImports;
import dev.ordersync.sync.BulkWindowImport;
import dev.ordersync.sync.Checkpoints;
import dev.ordersync.sync.CrashPoints;
import dev.ordersync.sync.FailedOrderRetry;
import dev.ordersync.sync.PassLog;
import dev.ordersync.sync.Refetch;
import dev.ordersync.sync.Settled;
import dev.ordersync.sync.Sync;
import dev.ordersync.sync.SyncPass;
import dev.ordersync.sync.WindowReader;
import dev.ordersync.time.TimeScale;
import dev.ordersync.webhook.ComplianceDeliveries;
import dev.ordersync.webhook.WebhookInbox;
import dev.ordersync.webhook.WebhookIntake;
import dev.ordersync.webhook.WebhookProcessor;
import dev.ordersync.webhook.WebhookStats;
import dev.ordersync.webhook.WebhookWorker;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The composition root: builds every part of order-sync, once, from a configuration, a database URL
 * and the few things tests replace (the clock, how to wait, where to crash). It only wires; what
 * order-sync does lives in the parts it hands out.
 */
public final class App implements AutoCloseable {
  private final AppConfig config;
  private final Options options;
  private final Database db;
  private final Shops shops;
  private final OrderStore orderStore = new OrderStore();
  private final StoredOrders storedOrders;
  private final OrderDocuments orderDocuments;
  private final FailedOrders failedOrders;
  private final ChangeLog changeLog;
  private final Feed feed;
  private final PushTargets pushTargets;
  private final OrderBatches orderBatches;
  private final Refetch refetch;
  private final Checkpoints checkpoints;
  private final PassLog passLog;
  private final SyncPass syncPass;
  private final BulkWindowImport bulkWindowImport;
  private final Backfill backfill;
  private final Sync sync;
  private final ReconcileRuns reconcileRuns;
  private final Reconciler reconciler;
  private final ShopZones zones;
  private final Reconciliations reconciliations;
  private final NightlyReconciliation nightly;
  private final Sweep sweep;
  private final WebhookInbox webhookInbox;
  private final WebhookStats webhookStats;
  private final WebhookProcessor webhookProcessor;
  private final StatusReader statusReader;
  private final FailedOrderRetry failedOrderRetry;
  private final RunningJobs runningJobs;
  private final ShopStates shopStates;
  private final InstalledShops installedShops;
  private final ShopSigning signing;
  private final HttpClient shopifyHttp;
  private final ShopTokens shopTokens;

  /** Each Shopify client's backoff has a seed of its own, from the run's. */
  private final AtomicLong seeds;

  /** Set when the service stops: the Shopify clients' waits and requests end at once. */
  private final StopSignal stopSignal;

  private final DataRequests dataRequests;
  private final OrderStory orderStory;

  /** What tests, the demo and the chaos run replace; production uses {@link #production()}. */
  /**
   * @param secretKey ORDER_SYNC_SECRET_KEY, which seals the tokens order-sync stores; null: they
   *     are stored as given
   */
  public record Options(
      Clock clock,
      Sleeper sleeper,
      CrashPoints crashPoints,
      long seed,
      TimeScale time,
      String secretKey) {
    public Options(Clock clock, Sleeper sleeper, CrashPoints crashPoints, long seed) {
      this(clock, sleeper, crashPoints, seed, TimeScale.real(clock), null);
    }

    public static Options production() {
      return new Options(
          Clock.systemUTC(),
          Sleeper.real(),
          CrashPoints.NONE,
          new Random().nextLong(),
          TimeScale.real(Clock.systemUTC()),
          System.getenv("ORDER_SYNC_SECRET_KEY"));
    }

    /** These options on a faster time (the chaos run). */
    public Options withTime(TimeScale scaled, Sleeper sleeperOnIt) {
      return new Options(scaled.clock(), sleeperOnIt, crashPoints, seed, scaled, secretKey);
    }

    /** The wall clock db-scheduler runs on, whatever order-sync's own time is. */
    public Clock wall() {
      return Clock.systemUTC();
    }

    public Options withSecretKey(String key) {
      return new Options(clock, sleeper, crashPoints, seed, time, key);
    }
  }

  private App(AppConfig config, Database db, Options options) {
    this.config = config;
    this.options = options;
    this.db = db;
    Clock clock = options.clock();
    this.stopSignal = new StopSignal();
    this.shopifyHttp = ShopifyClient.newHttpClient(config.client().connectTimeout());
    this.shopTokens =
        new ShopTokens(
            new TokenStore(db),
            new SecretBox(options.secretKey()),
            shopifyHttp,
            config.client().requestTimeout(),
            clock);
    this.seeds = new AtomicLong(options.seed());
    this.installedShops = new InstalledShops(db);
    this.signing =
        new ShopSigning(
            config.shops(), config.app().map(AppConfig.AppSettings::clientSecret), installedShops);
    this.shops =
        new Shops(
            config.shops().stream().map(this::api).toList(),
            config.app().isPresent()
                ? new InstalledApis(installedShops, this::installedApi)
                : Shops.Installed.NONE);
    this.storedOrders = new StoredOrders(db);
    this.orderDocuments = new OrderDocuments(db);
    this.failedOrders = new FailedOrders(db);
    this.changeLog = new ChangeLog(db);
    this.orderBatches = new OrderBatches(db, orderStore, failedOrders, changeLog, clock);
    this.feed = new Feed(db, changeLog, orderDocuments, config.feed().retention(), clock);
    this.pushTargets = new PushTargets(db);
    this.refetch = new Refetch(orderBatches);
    this.failedOrderRetry = new FailedOrderRetry(shops, failedOrders, refetch, clock);
    this.runningJobs = new RunningJobs(clock, config.run().threads());
    this.checkpoints = new Checkpoints(db);
    this.passLog = new PassLog(db);
    this.webhookInbox = new WebhookInbox(db);
    Settled settled =
        new Settled(
            config.sync().settleLag(),
            config.sync().webhookGrace(),
            webhookInbox::lastReceivedAt,
            clock);
    this.bulkWindowImport =
        new BulkWindowImport(
            orderBatches, new BulkImports(db), clock, options.sleeper(), options.crashPoints());
    WindowReader windowReader = new WindowReader(orderBatches, storedOrders, options.crashPoints());
    this.backfill = new Backfill(bulkWindowImport, windowReader, clock);
    this.syncPass =
        new SyncPass(
            db,
            windowReader,
            bulkWindowImport,
            refetch,
            failedOrders,
            checkpoints,
            passLog,
            config.sync(),
            clock,
            options.crashPoints(),
            (shop, start, now) -> shops.admin(shop).requireHistorySince(start, now),
            settled);
    this.shopStates = new ShopStates(db);
    this.dataRequests = new DataRequests(db);
    this.orderStory = new OrderStory(db);
    this.sync = new Sync(syncPass, shops, shopStates::active);
    this.reconcileRuns = new ReconcileRuns(db);
    this.reconciler =
        new Reconciler(
            orderBatches,
            storedOrders,
            reconcileRuns,
            bulkWindowImport,
            config.sync().bulkThreshold(),
            clock);
    this.zones =
        new ShopZones(
            db, s -> config.shop(s).flatMap(ShopConfig::timezone), shops::findAdmin, clock);
    this.reconciliations =
        new Reconciliations(reconciler, shops, zones, settled, config.reconcile().days(), clock);
    this.nightly =
        new NightlyReconciliation(
            db, reconciliations, zones, shops, config.reconcile().nightlyAt(), clock);
    this.sweep =
        new Sweep(
            reconciler,
            syncPass,
            shops,
            settled,
            checkpoints,
            config.reconcile().sweepLookback(),
            config.reconcile().sweepInterval(),
            clock);
    this.webhookStats = new WebhookStats(signing::known);
    webhookStats.restore(webhookInbox.refusals());
    this.webhookProcessor =
        new WebhookProcessor(
            db,
            webhookInbox,
            orderBatches,
            shops::find,
            webhookStats,
            new ComplianceDeliveries(
                db, webhookInbox, new Redactions(changeLog), shopStates, clock),
            clock);
    this.statusReader =
        new StatusReader(
            shops,
            checkpoints,
            passLog,
            storedOrders,
            failedOrders,
            reconcileRuns,
            webhookInbox,
            feed,
            pushTargets,
            zones::known,
            new Instances(db),
            shopStates::all);
  }

  /**
   * Re-encrypts the tokens stored in the database at {@code jdbcUrl} from {@code oldKey} (null:
   * stored as given) to {@code newKey}; how many. Opens only the database: a whole App refuses to
   * start while the stored tokens need the old key.
   */
  public static int resealTokens(String jdbcUrl, String oldKey, String newKey) {
    try (Database db = Database.open(jdbcUrl, 2)) {
      return new TokenStore(db).reseal(new SecretBox(oldKey), new SecretBox(newKey));
    }
  }

  /** One shop's API: its own client (rate limit, token, backoff) on the shared HTTP client. */
  private Shops.Api api(ShopConfig shop) {
    ShopifyClient client =
        new ShopifyClient(
            shop.domain(),
            shop.endpoint(),
            shopTokens.of(shop),
            shopifyHttp,
            config.client().requestTimeout(),
            options.clock(),
            options.sleeper(),
            stopSignal,
            new Backoff(
                Duration.ofMillis(500),
                Duration.ofSeconds(30),
                config.client().maxAttempts(),
                new Random(seeds.getAndIncrement())));
    return new Shops.Api(new ShopifyOrders(client), new ShopAdmin(client));
  }

  /** An installed shop's API: the app's credentials, the tokens its install stored. */
  private Shops.Api installedApi(String shop) {
    return api(installedShop(shop));
  }

  /** A shop as order-sync serves it: the configuration's, or an installed shop's settings. */
  public ShopConfig shopConfig(String shop) {
    return config.shop(shop).orElseGet(() -> installedShop(shop));
  }

  private ShopConfig installedShop(String shop) {
    AppConfig.AppSettings app = config.app().orElseThrow();
    return new ShopConfig(
        shop,
        new Credentials.Installed(app.clientId(), app.clientSecret()),
        Optional.of(
            URI.create(
                app.shopUrl(shop)
                    + "/admin/api/"
                    + ConfigLoader.DEFAULT_API_VERSION
                    + "/graphql.json")),
        ConfigLoader.DEFAULT_API_VERSION,
        Optional.empty(),
        List.of());
  }

  public static App open(AppConfig config, String jdbcUrl, Options options) {
    return new App(config, Database.open(jdbcUrl, 8), options);
  }

  /** The webhook intake for the shops' secrets; {@code wake} is told of each new delivery. */
  public WebhookIntake webhookIntake(Runnable wake) {
    return new WebhookIntake(
        signing::secretsOf,
        signing::takesOrders,
        webhookInbox,
        webhookStats,
        options.clock(),
        config.webhooks().maxAge(),
        db.isPostgres(),
        wake);
  }

  /** The HTTP side over a webhook intake that tells {@code wake} of each new delivery. */
  public HttpApi httpApi(Runnable wake, Duration idleTimeout) {
    return new HttpApi(
        webhookIntake(wake),
        new FeedHttp(feed),
        new Metrics(
            statusReader,
            shops,
            webhookStats,
            config.feed().push().isPresent(),
            runningJobs,
            options.clock()),
        new DashboardHttp(
            statusReader,
            failedOrderRetry,
            FormToken.of(config.http().apiTokens()),
            options.clock()),
        db,
        config.http().apiTokens(),
        idleTimeout,
        installs().map(InstallHttp::new));
  }

  /** The merchants' installs, when {@code app} is configured. */
  public Optional<ShopInstalls> installs() {
    return config
        .app()
        .map(
            app ->
                new ShopInstalls(
                    app,
                    new InstallStates(db),
                    db,
                    installedShops,
                    new TokenStore(db),
                    new SecretBox(options.secretKey()),
                    shops::admin,
                    shops::configured,
                    shopJobs()::start,
                    shopifyHttp,
                    config.client().requestTimeout(),
                    options.clock()));
  }

  /** Starts a shop's jobs on the cluster (an install, a resume) with no restart. */
  public ShopJobs shopJobs() {
    return jobs().shopJobs(db, options.wall());
  }

  public HttpApi httpApi(Runnable wake) {
    return httpApi(wake, HttpApi.IDLE_TIMEOUT);
  }

  public WebhookWorker webhookWorker() {
    return new WebhookWorker(
        webhookProcessor,
        () -> {
          var refusals = webhookStats.takeRefusals();
          try {
            webhookInbox.recordRefusals(refusals, options.clock().instant());
          } catch (RuntimeException e) {
            webhookStats.giveBack(refusals);
            throw e;
          }
        });
  }

  private Jobs jobs() {
    return new Jobs(
        sync,
        sweep,
        nightly,
        config.syncInterval(),
        config.reconcile().sweepInterval(),
        feed,
        feedPush(),
        alerts(),
        options.time(),
        runningJobs,
        shop -> shops.find(shop) == null ? null : shopStates.of(shop));
  }

  /** {@code run}: the jobs on their schedule, the webhook worker and the HTTP side. */
  public Service service() {
    WebhookWorker worker = webhookWorker();
    return new Service(db, jobs(), worker, httpApi(worker::wake), shops.names(), stopSignal);
  }

  /** The alerts, when {@code alerts.webhookUrl} is configured. */
  public Optional<Alerts> alerts() {
    return config
        .alerts()
        .webhookUrl()
        .map(
            url ->
                new Alerts(
                    new AlertConditions(statusReader, config.alerts(), options.clock()),
                    new AlertLog(db),
                    config.alerts(),
                    HttpClient.newBuilder()
                        .connectTimeout(config.client().connectTimeout())
                        .followRedirects(HttpClient.Redirect.NEVER)
                        .build(),
                    options.clock()));
  }

  /** The feed's push, when {@code feed.push} is configured. */
  public Optional<FeedPush> feedPush() {
    return config
        .feed()
        .push()
        .map(
            settings ->
                new FeedPush(
                    feed,
                    pushTargets,
                    settings,
                    HttpClient.newBuilder()
                        .connectTimeout(config.client().connectTimeout())
                        .followRedirects(HttpClient.Redirect.NEVER)
                        .build(),
                    new Backoff(
                        Duration.ofSeconds(1),
                        Duration.ofMinutes(5),
                        Integer.MAX_VALUE,
                        new Random(options.seed())),
                    options.clock()));
  }

  public Feed feed() {
    return feed;
  }

  public PushTargets pushTargets() {
    return pushTargets;
  }

  public AppConfig config() {
    return config;
  }

  public Clock clock() {
    return options.clock();
  }

  public Database db() {
    return db;
  }

  public OrderStory orderStory() {
    return orderStory;
  }

  public DataRequests dataRequests() {
    return dataRequests;
  }

  public InstalledShops installedShops() {
    return installedShops;
  }

  public ShopStates shopStates() {
    return shopStates;
  }

  public Shops shops() {
    return shops;
  }

  public Backfill backfill() {
    return backfill;
  }

  public Sync sync() {
    return sync;
  }

  public Sweep sweep() {
    return sweep;
  }

  public Reconciler reconciler() {
    return reconciler;
  }

  public Reconciliations reconciliations() {
    return reconciliations;
  }

  public NightlyReconciliation nightly() {
    return nightly;
  }

  public ShopZones zones() {
    return zones;
  }

  public ChangeLog changeLog() {
    return changeLog;
  }

  public OrderBatches orderBatches() {
    return orderBatches;
  }

  public PassLog passLog() {
    return passLog;
  }

  public StoredOrders storedOrders() {
    return storedOrders;
  }

  public OrderDocuments orderDocuments() {
    return orderDocuments;
  }

  public FailedOrders failedOrders() {
    return failedOrders;
  }

  public FailedOrderRetry failedOrderRetry() {
    return failedOrderRetry;
  }

  /** The shops' jobs this instance runs: its share of the cluster's work. */
  public RunningJobs runningJobs() {
    return runningJobs;
  }

  public Refetch refetch() {
    return refetch;
  }

  public Checkpoints checkpoints() {
    return checkpoints;
  }

  public ReconcileRuns reconcileRuns() {
    return reconcileRuns;
  }

  public WebhookInbox webhookInbox() {
    return webhookInbox;
  }

  public WebhookStats webhookStats() {
    return webhookStats;
  }

  public WebhookProcessor webhookProcessor() {
    return webhookProcessor;
  }

  public StatusReader statusReader() {
    return statusReader;
  }

  @Override
  public void close() {
    db.close();
  }
}
