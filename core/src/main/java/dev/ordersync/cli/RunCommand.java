package dev.ordersync.cli;

import dev.ordersync.App;
import dev.ordersync.config.AppConfig;
import dev.ordersync.config.ConfigException;
import dev.ordersync.config.Credentials;
import dev.ordersync.config.ShopConfig;
import dev.ordersync.config.ShopDomain;
import dev.ordersync.service.Service;
import dev.ordersync.shopify.AccessTokens;
import dev.ordersync.shopify.ShopifyException;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description =
        "The service: scheduled "
            + "sync, sweep and nightly reconciliation, webhooks, health, metrics and the status page. "
            + "SIGTERM stops it cleanly.")
final class RunCommand implements Callable<Integer> {
  @Mixin CommonOptions common;

  @Option(names = "--port", description = "HTTP port (default: http.port of the config, 8080)")
  Integer port;

  @Option(
      names = "--host",
      description =
          "address to listen on (default: http.host of the "
              + "config, every interface: Shopify must reach /webhooks/shopify)")
  String host;

  @Option(
      names = "--admin-port",
      description =
          "serve the status page, /metrics and /readyz on "
              + "this port only (default: http.adminPort; none: on --port)")
  Integer adminPort;

  @Option(
      names = "--admin-host",
      description = "address of the admin port (default: " + "http.adminHost, 127.0.0.1)")
  String adminHost;

  @Override
  public Integer call() throws InterruptedException {
    AppConfig cfg = common.appConfig();
    AppConfig.HttpSettings configured = cfg.http();
    AppConfig.HttpSettings http =
        new AppConfig.HttpSettings(
            host != null ? host : configured.host(),
            port != null ? port : configured.port(),
            adminHost != null ? adminHost : configured.adminHost(),
            adminPort != null ? adminPort : configured.adminPort(),
            configured.apiTokens());
    checkPort("--port", http.port());
    if (http.adminPort() != null) {
      checkPort("--admin-port", http.adminPort());
    }
    // asked before the server tries, so that its own ERROR line does not come first
    boolean mainTaken = http.port() != 0 && !free(http.host(), http.port());
    boolean adminTaken =
        http.adminPort() != null
            && http.adminPort() != 0
            && !free(http.adminHost(), http.adminPort());
    if (mainTaken || adminTaken) {
      throw portsTaken(http, mainTaken);
    }
    App app = App.open(cfg, common.jdbcUrl(cfg), common.time.appOptions());
    Service service;
    try {
      checkShops(app);
      service = app.service().create();
      service.start(http);
    } catch (RuntimeException e) {
      app.close();
      if (isBindFailure(e)) {
        throw portsTaken(http, true);
      }
      throw e;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  System.err.println(
                      "order-sync: stopping (finishing or abandoning the running work)...");
                  service.close();
                  stopped.countDown();
                },
                "order-sync-shutdown"));
    if (cfg.app().map(AppConfig.AppSettings::migrateTokens).orElse(false)) {
      Thread migration = new Thread(() -> migrateTokens(app, cfg), "order-sync-token-migration");
      migration.setDaemon(true);
      migration.start();
    }
    List<ShopDomain> names = app.shops().apis().names();
    System.err.printf(
        "order-sync: running for %s on http://%s:%d/ (webhooks at "
            + "/webhooks/shopify%s)%s, database %s%n",
        names.isEmpty()
            ? "no shop yet"
            : names.size() <= 10
                ? names.stream().map(ShopDomain::value).collect(Collectors.joining(", "))
                : names.size() + " shops (`order-sync shops list` names them)",
        http.host(),
        service.port(),
        cfg.app().isPresent() ? "; merchants install at /shopify/install" : "",
        http.adminPort() == null
            ? ", status page, /metrics and /readyz on the same port"
            : "; status page, /metrics and /readyz on http://"
                + http.adminHost()
                + ":"
                + service.adminPort()
                + "/",
        app.service().db().displayUrl());
    stopped.await();
    return Main.OK;
  }

  /**
   * Asks each shop once, quickly, for its time zone (kept for the nightly schedule). Refused
   * credentials are a configuration error: the shop is named, and when every shop's are refused the
   * service does not start. An unreachable Shopify is not: the service starts, serves webhooks and
   * tries Shopify again on its schedule.
   */
  private static void checkShops(App app) {
    List<String> refused = new ArrayList<>();
    // the configured shops only: an installed one's zone is learnt by its first job, and one that
    // was uninstalled or paused is not called
    List<ShopDomain> probed =
        app.config().shops().stream()
            .map(ShopConfig::domain)
            .filter(app.shops().states()::active)
            .toList();
    for (ShopDomain shop : probed) {
      try {
        String zone = app.shops().apis().admin(shop).probe();
        if (app.reconcile().zones().known(shop).isEmpty()) {
          app.reconcile().zones().remember(shop, ZoneId.of(zone));
        }
      } catch (ShopifyException.CredentialsRefused e) {
        refused.add(shop.value());
        System.err.println("order-sync: " + e.getMessage());
      } catch (ShopifyException | DateTimeException e) {
        System.err.println(
            "order-sync: "
                + shop
                + ": Shopify does not answer yet ("
                + (e instanceof ShopifyException s ? s.detail() : "no time zone")
                + "); starting anyway, trying again on schedule");
      }
    }
    if (!refused.isEmpty() && refused.size() == probed.size() && app.config().app().isEmpty()) {
      throw new ConfigException(
          "Shopify refused the credentials of "
              + String.join(", ", refused)
              + "; nothing to run. Check the access token (or client id and secret).");
    }
  }

  /**
   * {@code app.expiringTokens: migrate}: each configured shop still on a public app's non-expiring
   * offline token is exchanged for an expiring pair, in the background; one that fails is tried
   * again every 5 minutes. Each result is logged.
   */
  private static void migrateTokens(App app, AppConfig cfg) {
    List<ShopConfig> left =
        new ArrayList<>(
            cfg.shops().stream()
                .filter(s -> s.credentials() instanceof Credentials.OfflineToken)
                .toList());
    while (!left.isEmpty()) {
      for (java.util.Iterator<ShopConfig> it = left.iterator(); it.hasNext(); ) {
        ShopDomain shop = it.next().domain();
        try {
          AccessTokens.Migration m =
              app.shops().apis().get(shop).client().tokens().migrateToExpiring();
          System.err.println(
              "order-sync: "
                  + shop
                  + (m == AccessTokens.Migration.MIGRATED
                      ? ": migrated to an expiring offline token (stored)"
                      : ": already on an expiring offline token"));
          it.remove();
        } catch (ShopifyException e) {
          System.err.println(
              "order-sync: "
                  + shop
                  + ": the offline token is not migrated yet ("
                  + e.getMessage()
                  + "); trying again in 5 minutes");
          if (e instanceof ShopifyException.Stopped) {
            return;
          }
        }
      }
      if (!left.isEmpty()) {
        try {
          Thread.sleep(java.time.Duration.ofMinutes(5).toMillis());
        } catch (InterruptedException e) {
          return;
        }
      }
    }
  }

  private static void checkPort(String option, int p) {
    if (p < 0 || p > 65535) {
      throw new ConfigException(
          option + " " + p + " is not a port; give one from 1 to 65535 " + "(0: any free one)");
    }
  }

  /** Which port cannot be listened on, and what to do: {@code mainTaken} when unsure. */
  private static ConfigException portsTaken(AppConfig.HttpSettings http, boolean mainTaken) {
    boolean adminBusy = http.adminPort() != null && !free(http.adminHost(), http.adminPort());
    boolean mainBusy = mainTaken && !free(http.host(), http.port()) || !adminBusy;
    return new ConfigException(
        "cannot listen on "
            + (mainBusy ? "port " + http.port() + " of " + http.host() : "")
            + (mainBusy && adminBusy ? " and on " : "")
            + (adminBusy ? "port " + http.adminPort() + " of " + http.adminHost() : "")
            + ": in use or not allowed. Give another one with "
            + (adminBusy && !mainBusy
                ? "--admin-port (or http.adminPort)."
                : "--port (or http.port)."));
  }

  /** Whether a port can be listened on now (the message says which one could not). */
  private static boolean free(String host, int port) {
    try (java.net.ServerSocket probe =
        new java.net.ServerSocket(port, 1, java.net.InetAddress.getByName(host))) {
      return true;
    } catch (java.io.IOException e) {
      return false;
    }
  }

  private static boolean isBindFailure(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof java.net.BindException || t.getClass().getSimpleName().contains("Bind")) {
        return true;
      }
    }
    return false;
  }
}
