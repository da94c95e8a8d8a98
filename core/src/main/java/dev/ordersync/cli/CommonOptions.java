package dev.ordersync.cli;

import dev.ordersync.App;
import dev.ordersync.AppOptions;
import dev.ordersync.config.AppConfig;
import dev.ordersync.config.ConfigException;
import dev.ordersync.config.ConfigLoader;
import dev.ordersync.config.ShopDomain;
import dev.ordersync.db.Database;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Option;

/** The options every command takes: where the config, the database and the shop are. */
final class CommonOptions {
  static final Path DEFAULT_CONFIG = Path.of("order-sync.yml");

  @Option(
      names = "--config",
      paramLabel = "FILE",
      description = "YAML config (default: ./order-sync.yml when present)")
  Path config;

  @Option(
      names = "--db",
      paramLabel = "JDBC_URL",
      description = "database (default: embedded H2 file under ./data/)")
  String db;

  @Option(
      names = "--shop",
      paramLabel = "DOMAIN",
      description = "a single shop without a config file (with a config: only this shop)")
  String shop;

  @Option(
      names = "--token",
      paramLabel = "TOKEN",
      description =
          "Admin API access token (better: SHOPIFY_ACCESS_TOKEN; a command line is "
              + "visible to every user in ps)")
  String token;

  @Option(
      names = "--client-id",
      paramLabel = "ID",
      description =
          "the app's client id, for the client credentials grant (or " + "SHOPIFY_CLIENT_ID)")
  String clientId;

  @Option(
      names = "--client-secret",
      paramLabel = "SECRET",
      description = "the app's client secret (better: SHOPIFY_CLIENT_SECRET)")
  String clientSecret;

  @Option(
      names = "--refresh-token",
      paramLabel = "TOKEN",
      description = "an expiring offline token's refresh token (better: SHOPIFY_REFRESH_TOKEN)")
  String refreshToken;

  @Option(
      names = "--api-url",
      paramLabel = "URL",
      description = "GraphQL endpoint instead of Shopify's (e.g. the simulator)")
  String apiUrl;

  @picocli.CommandLine.Mixin TimeOptions time = new TimeOptions();

  /** The shop --shop names, or null without it. */
  ShopDomain shopDomain() {
    return shop == null ? null : ShopDomain.of(shop);
  }

  AppConfig appConfig() {
    return appConfig(new ConfigLoader(System::getenv));
  }

  private AppConfig appConfig(ConfigLoader loader) {
    Path file = config != null ? config : Files.exists(DEFAULT_CONFIG) ? DEFAULT_CONFIG : null;
    if (file != null) {
      AppConfig cfg = loader.load(file);
      if (shop == null) {
        return cfg;
      }
      return cfg.withShops(
          List.of(
              ShopDomain.parse(shop)
                  .flatMap(cfg::shop)
                  .orElseThrow(
                      () ->
                          new ConfigException(
                              "--shop "
                                  + shop
                                  + " is not in "
                                  + file
                                  + "; configured: "
                                  + String.join(
                                      ", ",
                                      cfg.shops().stream()
                                          .map(s -> s.domain().value())
                                          .toList())))));
    }
    if (shop == null) {
      throw new ConfigException(
          "no shop to work on: give --config FILE, create ./order-sync.yml,"
              + " or give --shop my-store.myshopify.com with SHOPIFY_ACCESS_TOKEN set");
    }
    return loader.singleShop(
        new ConfigLoader.ShopFlags(shop, token, clientId, clientSecret, refreshToken, apiUrl));
  }

  /**
   * For commands that only read the store: no shop needed, and no Shopify credentials (they never
   * call Shopify).
   */
  AppConfig appConfigOrEmpty() {
    boolean hasConfig = config != null || Files.exists(DEFAULT_CONFIG);
    if (hasConfig || shop != null) {
      return appConfig(new ConfigLoader(System::getenv).withCredentialsOptional());
    }
    return AppConfig.empty();
  }

  /**
   * The database a command that only reads the store works on: it must exist. An embedded database
   * that is not there means the command runs from another directory than the one `run` uses (or
   * without its --db / --config): opening it would create a new, empty one and report nothing.
   */
  String existingDatabase(AppConfig cfg) {
    String url = jdbcUrl(cfg);
    java.util.Optional<Path> file = Database.embeddedFile(url);
    if (file.isPresent() && !Files.exists(file.get())) {
      throw new ConfigException(
          "no order-sync database at "
              + file.get()
              + "; give --db or --config, or run this from the directory that holds data/ (the "
              + "one `run` uses)");
    }
    return url;
  }

  String jdbcUrl(AppConfig cfg) {
    if (db != null) {
      return db;
    }
    return cfg.database().orElse(Database.defaultUrl(Path.of("data")));
  }

  App openApp() {
    AppConfig cfg = appConfig();
    return announced(App.open(cfg, jdbcUrl(cfg), time.appOptions()));
  }

  /** The store for a command that only reads it: it must exist already. */
  App openExisting(AppConfig cfg) {
    return announced(App.open(cfg, existingDatabase(cfg), AppOptions.production()));
  }

  /**
   * Says on standard error which database a command opened (its URL without passwords): an answer
   * from the wrong one is then seen at once.
   */
  private static App announced(App app) {
    System.err.println("order-sync: database " + app.service().db().displayUrl());
    return app;
  }
}
