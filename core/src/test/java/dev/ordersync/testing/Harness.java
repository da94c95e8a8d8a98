package dev.ordersync.testing;

import dev.ordersync.App;
import dev.ordersync.AppOptions;
import dev.ordersync.config.AppConfig;
import dev.ordersync.config.ShopConfig;
import dev.ordersync.config.ShopDomain;
import dev.ordersync.config.SyncSettings;
import dev.ordersync.secrets.Secret;
import dev.ordersync.simulator.Simulator;
import dev.ordersync.simulator.time.VirtualClock;
import dev.ordersync.sync.CrashPoints;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * A simulator and order-sync sharing one virtual clock, over real HTTP and a real database. Waits
 * (throttling, backoff) advance the clock instead of sleeping.
 */
public final class Harness implements AutoCloseable {
  public static final Instant START = Instant.parse("2026-11-20T17:00:00Z");

  public final VirtualClock clock;
  public final Simulator sim;
  public final String jdbcUrl;
  private final List<App> apps = new ArrayList<>();
  private AppConfig config;

  public Harness(TestDatabases.Kind db) {
    this(db, b -> b);
  }

  public Harness(TestDatabases.Kind db, UnaryOperator<Simulator.Builder> simulator) {
    this.clock = new VirtualClock(START);
    this.sim = simulator.apply(Simulator.builder().clock(clock).seed(7)).start();
    this.jdbcUrl = TestDatabases.fresh(db);
    this.config = configFor(sim, SyncSettings.defaults(), Duration.ofSeconds(5), 6);
  }

  public static AppConfig configFor(
      Simulator sim, SyncSettings sync, Duration requestTimeout, int maxAttempts) {
    ShopConfig shop =
        new ShopConfig(
            ShopDomain.of(sim.shop().domain()),
            new Secret(Simulator.DEFAULT_TOKEN),
            Optional.of(URI.create(sim.endpoint())),
            "2026-10",
            Optional.of(ZoneId.of("America/New_York")),
            List.of());
    return new AppConfig(
        List.of(shop),
        Optional.empty(),
        sync,
        Duration.ofMinutes(5),
        AppConfig.ReconcileSettings.defaults(),
        new AppConfig.ClientSettings(Duration.ofSeconds(2), requestTimeout, maxAttempts),
        0);
  }

  /** The same configuration with the shop's API reached through {@code endpoint} (a proxy). */
  public static AppConfig through(AppConfig cfg, String endpoint) {
    return cfg.withShops(List.of(cfg.shops().get(0).withApiUrl(URI.create(endpoint))));
  }

  public Harness withConfig(AppConfig config) {
    this.config = config;
    return this;
  }

  public AppConfig config() {
    return config;
  }

  public ShopDomain shop() {
    return ShopDomain.of(sim.shop().domain());
  }

  /** A new order-sync over the same database: a restart, when the previous one was killed. */
  public App app() {
    return app(CrashPoints.NONE);
  }

  public App app(CrashPoints crashPoints) {
    App app = App.open(config, jdbcUrl, new AppOptions(clock, clock::advance, crashPoints, 42));
    apps.add(app);
    return app;
  }

  public void advance(Duration d) {
    clock.advance(d);
    sim.catchUp();
  }

  @Override
  public void close() {
    for (App a : apps) {
      a.close();
    }
    sim.close();
  }
}
