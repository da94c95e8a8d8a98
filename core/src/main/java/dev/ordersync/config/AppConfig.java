package dev.ordersync.config;

import dev.ordersync.secrets.Secret;
import java.time.Duration;
import java.time.LocalTime;
import java.util.List;
import java.util.Optional;

/** Everything order-sync is told, validated. */
public record AppConfig(
    List<ShopConfig> shops,
    Optional<String> database,
    SyncSettings sync,
    Duration syncInterval,
    ReconcileSettings reconcile,
    ClientSettings client,
    HttpSettings http,
    WebhookSettings webhooks,
    FeedSettings feed,
    AlertSettings alerts,
    RunSettings run,
    Optional<AppSettings> app) {

  public AppConfig {
    shops = List.copyOf(shops);
  }

  /** Without a public app: the shops are the configured ones only. */
  public AppConfig(
      List<ShopConfig> shops,
      Optional<String> database,
      SyncSettings sync,
      Duration syncInterval,
      ReconcileSettings reconcile,
      ClientSettings client,
      HttpSettings http,
      WebhookSettings webhooks,
      FeedSettings feed,
      AlertSettings alerts,
      RunSettings run) {
    this(
        shops,
        database,
        sync,
        syncInterval,
        reconcile,
        client,
        http,
        webhooks,
        feed,
        alerts,
        run,
        Optional.empty());
  }

  /** The settings before http and webhooks had more than a port. */
  public AppConfig(
      List<ShopConfig> shops,
      Optional<String> database,
      SyncSettings sync,
      Duration syncInterval,
      ReconcileSettings reconcile,
      ClientSettings client,
      int httpPort) {
    this(
        shops,
        database,
        sync,
        syncInterval,
        reconcile,
        client,
        HttpSettings.defaults().withPort(httpPort),
        WebhookSettings.defaults(),
        FeedSettings.defaults(),
        AlertSettings.defaults(),
        RunSettings.defaults());
  }

  /**
   * How often {@code run} syncs each shop, unless {@code sync.interval} says otherwise: with the
   * settle lag, an order no webhook brought is stored within about 4 minutes (BENCHMARKS.md).
   */
  public static final Duration DEFAULT_SYNC_INTERVAL = Duration.ofMinutes(3);

  /** No shops: for commands that only read the store. */
  public static AppConfig empty() {
    return new AppConfig(
        List.of(),
        Optional.empty(),
        SyncSettings.defaults(),
        DEFAULT_SYNC_INTERVAL,
        ReconcileSettings.defaults(),
        ClientSettings.defaults(),
        HttpSettings.defaults(),
        WebhookSettings.defaults(),
        FeedSettings.defaults(),
        AlertSettings.defaults(),
        RunSettings.defaults());
  }

  public int httpPort() {
    return http.port();
  }

  /** The same configuration with only these shops. */
  public AppConfig withShops(List<ShopConfig> only) {
    return new AppConfig(
        only,
        database,
        sync,
        syncInterval,
        reconcile,
        client,
        http,
        webhooks,
        feed,
        alerts,
        run,
        app);
  }

  public AppConfig withSync(SyncSettings s) {
    return new AppConfig(
        shops,
        database,
        s,
        syncInterval,
        reconcile,
        client,
        http,
        webhooks,
        feed,
        alerts,
        run,
        app);
  }

  public AppConfig withReconcile(ReconcileSettings r) {
    return new AppConfig(
        shops, database, sync, syncInterval, r, client, http, webhooks, feed, alerts, run, app);
  }

  public AppConfig withAlerts(AlertSettings a) {
    return new AppConfig(
        shops, database, sync, syncInterval, reconcile, client, http, webhooks, feed, a, run, app);
  }

  public AppConfig withHttp(HttpSettings h) {
    return new AppConfig(
        shops,
        database,
        sync,
        syncInterval,
        reconcile,
        client,
        h,
        webhooks,
        feed,
        alerts,
        run,
        app);
  }

  public AppConfig withRun(RunSettings r) {
    return new AppConfig(
        shops,
        database,
        sync,
        syncInterval,
        reconcile,
        client,
        http,
        webhooks,
        feed,
        alerts,
        r,
        app);
  }

  public AppConfig withFeed(FeedSettings f) {
    return new AppConfig(
        shops,
        database,
        sync,
        syncInterval,
        reconcile,
        client,
        http,
        webhooks,
        f,
        alerts,
        run,
        app);
  }

  public AppConfig withApp(AppSettings a) {
    return new AppConfig(
        shops,
        database,
        sync,
        syncInterval,
        reconcile,
        client,
        http,
        webhooks,
        feed,
        alerts,
        run,
        Optional.of(a));
  }

  /**
   * A public (or partner-distributed) app that merchants install themselves: {@code run} serves
   * {@code /shopify/install} and {@code /shopify/callback}, and the shops installed live in the
   * database beside the configured ones.
   *
   * @param url this service's public base URL, where Shopify sends merchants back and delivers
   *     webhooks
   * @param shopifyUrl where a shop's admin answers, {@code {shop}} standing for its domain
   * @param migrateTokens {@code expiringTokens: migrate}: {@code run} exchanges every configured
   *     shop's non-expiring offline token for an expiring pair by itself
   */
  public record AppSettings(
      String clientId,
      Secret clientSecret,
      java.net.URI url,
      List<String> scopes,
      String shopifyUrl,
      boolean migrateTokens) {
    public static final List<String> DEFAULT_SCOPES = List.of("read_orders", "read_all_orders");
    public static final String DEFAULT_SHOPIFY_URL = "https://{shop}";

    public AppSettings {
      scopes = List.copyOf(scopes);
    }

    /** Where the shop's admin answers. */
    public String shopUrl(ShopDomain shop) {
      return shopifyUrl.replace("{shop}", shop.value());
    }

    public java.net.URI redirectUri() {
      return java.net.URI.create(base() + "/shopify/callback");
    }

    public java.net.URI webhookUri() {
      return java.net.URI.create(base() + "/webhooks/shopify");
    }

    private String base() {
      String u = url.toString();
      return u.endsWith("/") ? u.substring(0, u.length() - 1) : u;
    }
  }

  /**
   * Where {@code run} listens. {@code host}/{@code port} serve Shopify's webhooks (and, without an
   * admin port, everything else); {@code adminHost}/{@code adminPort}, when set, serve the status
   * page, metrics, readiness and the API instead, e.g. on loopback only.
   *
   * @param apiTokens bearer tokens for the API and the status page; empty: the API is off and the
   *     status page open to whoever reaches its port
   */
  public record HttpSettings(
      String host, int port, String adminHost, Integer adminPort, List<Secret> apiTokens) {
    public HttpSettings {
      apiTokens = List.copyOf(apiTokens);
    }

    public static HttpSettings defaults() {
      return new HttpSettings("0.0.0.0", 8080, "127.0.0.1", null, List.of());
    }

    public HttpSettings withPort(int p) {
      return new HttpSettings(host, p, adminHost, adminPort, apiTokens);
    }
  }

  /**
   * The webhook intake.
   *
   * @param maxAge Shopify retries a delivery 8 times over 4 hours and may deliver it a day late;
   *     one triggered before this is a replay, acknowledged and ignored
   * @param retention settled deliveries received longer ago are deleted (their bodies hold the
   *     customer's data); at least maxAge, so that a delivery Shopify could still send is known
   */
  public record WebhookSettings(Duration maxAge, Duration retention) {
    public static WebhookSettings defaults() {
      return new WebhookSettings(Duration.ofHours(72), Duration.ofDays(30));
    }
  }

  /**
   * The OMS feed.
   *
   * @param retention changes stored longer ago are pruned; a reader behind them must resynchronise
   * @param push where the feed is pushed, if anywhere
   */
  public record FeedSettings(Duration retention, Optional<PushSettings> push) {
    public static FeedSettings defaults() {
      return new FeedSettings(Duration.ofDays(30), Optional.empty());
    }
  }

  /**
   * @param threads how many shops' jobs (sync passes, sweeps, nightly reconciliations) one {@code
   *     run} works on at once. Default 16: a job mostly waits, on Shopify's answers and on its
   *     shop's rate limit, so threads beyond the cores keep more shops on time (BENCHMARKS.md: 100
   *     shops on one instance started their passes 107 s late at the median with 4, 1.5 s with 16).
   */
  public record RunSettings(int threads) {
    public static RunSettings defaults() {
      return new RunSettings(16);
    }
  }

  /**
   * Alerts to a chat or an incident tool.
   *
   * @param webhookUrl where alerts are POSTed; none: no alerts
   * @param slack Slack's message shape ({@code {"text": …}}) rather than a plain JSON object
   * @param failingPasses this many failed passes of a shop in a row raise an alert
   * @param webhookSilence no webhook for this long while the poll stores orders raises an alert
   * @param failedOrderAge an order kept in failed_orders this long raises an alert
   */
  public record AlertSettings(
      Optional<java.net.URI> webhookUrl,
      boolean slack,
      int failingPasses,
      Duration webhookSilence,
      Duration failedOrderAge) {
    public static AlertSettings defaults() {
      return new AlertSettings(Optional.empty(), true, 3, Duration.ofHours(1), Duration.ofHours(1));
    }

    public AlertSettings withWebhookUrl(java.net.URI url) {
      return new AlertSettings(
          Optional.of(url), slack, failingPasses, webhookSilence, failedOrderAge);
    }
  }

  /**
   * @param url where batches of changes are POSTed
   * @param secret the key of the HMAC each batch is signed with
   * @param batchSize the most changes a batch holds
   */
  /**
   * @param startAt where a receiver new to the push starts (a new {@code url} is a new receiver):
   *     the oldest change still kept, or the feed's head at that moment
   */
  public record PushSettings(java.net.URI url, Secret secret, int batchSize, StartAt startAt) {
    public static final int DEFAULT_BATCH_SIZE = 100;

    public PushSettings(java.net.URI url, Secret secret, int batchSize) {
      this(url, secret, batchSize, StartAt.BEGINNING);
    }
  }

  /** Where a new push receiver starts. */
  public enum StartAt {
    /** The oldest change retention kept: the receiver gets everything still there. */
    BEGINNING,
    /** The feed's head: the receiver was filled from {@code orders export} just before. */
    NOW
  }

  public Optional<ShopConfig> shop(ShopDomain domain) {
    return shops.stream().filter(s -> s.domain().equals(domain)).findFirst();
  }

  /**
   * @param nightlyAt the shop-local time the nightly reconciliation runs (midnight by default)
   * @param days how many previous shop-local days it covers
   * @param sweepInterval how often the sweep compares recent hours with Shopify
   * @param sweepLookback how far back the sweep looks
   */
  public record ReconcileSettings(
      LocalTime nightlyAt, int days, Duration sweepInterval, Duration sweepLookback) {
    public static ReconcileSettings defaults() {
      return new ReconcileSettings(
          LocalTime.MIDNIGHT, 2, Duration.ofMinutes(15), Duration.ofHours(6));
    }
  }

  public record ClientSettings(Duration connectTimeout, Duration requestTimeout, int maxAttempts) {
    public static ClientSettings defaults() {
      return new ClientSettings(Duration.ofSeconds(10), Duration.ofSeconds(30), 8);
    }
  }
}
