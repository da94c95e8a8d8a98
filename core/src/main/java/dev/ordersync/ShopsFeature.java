package dev.ordersync;

import dev.ordersync.config.AppConfig;
import dev.ordersync.config.ConfigLoader;
import dev.ordersync.config.Credentials;
import dev.ordersync.config.ShopConfig;
import dev.ordersync.config.ShopDomain;
import dev.ordersync.credentials.SecretBox;
import dev.ordersync.credentials.ShopTokens;
import dev.ordersync.credentials.TokenStore;
import dev.ordersync.db.Database;
import dev.ordersync.install.InstallStates;
import dev.ordersync.install.ShopInstalls;
import dev.ordersync.shopify.Backoff;
import dev.ordersync.shopify.ShopAdmin;
import dev.ordersync.shopify.ShopifyClient;
import dev.ordersync.shopify.ShopifyOrders;
import dev.ordersync.shopify.Shops;
import dev.ordersync.shopify.StopSignal;
import dev.ordersync.shops.DataRequests;
import dev.ordersync.shops.InstalledApis;
import dev.ordersync.shops.InstalledShops;
import dev.ordersync.shops.ShopSigning;
import dev.ordersync.shops.ShopStates;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The shops order-sync serves: the configured ones and the installed ones, each with its own
 * Shopify client; their states (paused, removed), installs and data requests.
 */
public final class ShopsFeature {
  private final AppConfig config;
  private final AppOptions options;
  private final Database db;
  private final StopSignal stopSignal;
  private final Consumer<ShopDomain> startJobs;
  private final HttpClient shopifyHttp;
  private final ShopTokens tokens;
  private final InstalledShops installed;
  private final ShopSigning signing;
  private final Shops apis;
  private final ShopStates states;
  private final DataRequests dataRequests;

  /** Each Shopify client's backoff has a seed of its own, from the run's. */
  private final AtomicLong seeds;

  /**
   * @param stopSignal set when the service stops: the clients' waits and requests end at once
   * @param startJobs starts an installed shop's jobs on the cluster, with no restart
   */
  ShopsFeature(
      AppConfig config,
      Database db,
      AppOptions options,
      StopSignal stopSignal,
      Consumer<ShopDomain> startJobs) {
    this.config = config;
    this.options = options;
    this.db = db;
    this.stopSignal = stopSignal;
    this.startJobs = startJobs;
    this.shopifyHttp = ShopifyClient.newHttpClient(config.client().connectTimeout());
    this.tokens =
        new ShopTokens(
            new TokenStore(db),
            new SecretBox(options.secretKey()),
            shopifyHttp,
            config.client().requestTimeout(),
            options.clock());
    this.seeds = new AtomicLong(options.seed());
    this.installed = new InstalledShops(db);
    this.signing =
        new ShopSigning(
            config.shops(), config.app().map(AppConfig.AppSettings::clientSecret), installed);
    this.apis =
        new Shops(
            config.shops().stream().map(this::api).toList(),
            config.app().isPresent()
                ? new InstalledApis(installed, shop -> api(installedShop(shop)))
                : Shops.Installed.NONE);
    this.states = new ShopStates(db);
    this.dataRequests = new DataRequests(db);
  }

  /** Each shop's Shopify API, by domain. */
  public Shops apis() {
    return apis;
  }

  /** Paused, removed or active, as {@code shops pause/remove/resume} left them. */
  public ShopStates states() {
    return states;
  }

  public InstalledShops installed() {
    return installed;
  }

  public DataRequests dataRequests() {
    return dataRequests;
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
                    installed,
                    new TokenStore(db),
                    new SecretBox(options.secretKey()),
                    apis::admin,
                    apis::configured,
                    startJobs,
                    shopifyHttp,
                    config.client().requestTimeout(),
                    options.clock()));
  }

  /** A shop as order-sync serves it: the configuration's, or an installed shop's settings. */
  public ShopConfig config(ShopDomain shop) {
    return config.shop(shop).orElseGet(() -> installedShop(shop));
  }

  /** Whose webhooks are signed with which secrets. */
  ShopSigning signing() {
    return signing;
  }

  /** One shop's API: its own client (rate limit, token, backoff) on the shared HTTP client. */
  private Shops.Api api(ShopConfig shop) {
    ShopifyClient client =
        new ShopifyClient(
            shop.domain(),
            shop.endpoint(),
            tokens.of(shop),
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

  /** An installed shop: the app's credentials, the tokens its install stored. */
  private ShopConfig installedShop(ShopDomain shop) {
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
}
