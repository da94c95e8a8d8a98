package dev.ordersync.demo;

import dev.ordersync.App;
import dev.ordersync.AppOptions;
import dev.ordersync.config.AppConfig;
import dev.ordersync.config.ShopDomain;
import dev.ordersync.secrets.Secret;
import dev.ordersync.service.Service;
import dev.ordersync.shops.ShopStates;
import dev.ordersync.simulator.ShopFleet;
import dev.ordersync.simulator.Simulator;
import dev.ordersync.simulator.auth.Merchant;
import dev.ordersync.simulator.traffic.TrafficGenerator;
import dev.ordersync.simulator.traffic.TrafficShape;
import dev.ordersync.sync.CrashPoints;
import dev.ordersync.time.ScaledClock;
import dev.ordersync.time.TimeScale;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * {@code demo --install}: merchants install order-sync themselves while {@code run} runs. Three
 * shops of a simulator fleet carry one public app; each merchant opens the install link, Shopify's
 * authorize page (the simulator's, approving at once) sends them back, and the shop's orders are
 * imported with no restart. Then one merchant uninstalls: that shop is called no more while the
 * others go on. order-sync's time runs 60 times faster than the wall clock.
 */
public final class InstallDemo {
  private static final double SCALE = 60;
  private static final int SHOPS = 3;
  private static final int ORDERS = 40;
  private static final String CLIENT_ID = "demo-app";
  private static final String CLIENT_SECRET = "demo-app-secret";

  /** What each shop ended with. */
  public record Shop(
      String shop, String status, int shopifyOrders, int stored, double importSeconds) {}

  private final String jdbcUrl;
  private final PrintStream progress;
  private final Merchant merchant = new Merchant(CLIENT_SECRET);

  public InstallDemo(String jdbcUrl, PrintStream progress) {
    this.jdbcUrl = jdbcUrl;
    this.progress = progress;
  }

  public List<Shop> run() throws Exception {
    Clock wall = Clock.systemUTC();
    Instant origin = Instant.parse("2026-12-04T15:00:00Z");
    ScaledClock clock = new ScaledClock(wall, origin, wall.instant(), SCALE);
    TimeScale time = new TimeScale(clock, SCALE);
    List<Shop> out = new ArrayList<>();
    try (ShopFleet fleet = ShopFleet.start(0)) {
      List<Simulator> sims = new ArrayList<>();
      for (int i = 1; i <= SHOPS; i++) {
        Simulator sim =
            Simulator.builder()
                .in(fleet)
                .clock(clock)
                .seed(i)
                .domain(String.format("shop-%03d.myshopify.com", i))
                .token("shpat_unused_" + i)
                .clientCredentials(CLIENT_ID, CLIENT_SECRET, Duration.ofHours(1))
                .start();
        sim.traffic()
            .plan(
                new TrafficGenerator(i, ZoneId.of("UTC"))
                    .between(
                        origin.minus(Duration.ofHours(2)),
                        origin.minus(Duration.ofMinutes(2)),
                        ORDERS,
                        TrafficShape.even()));
        sim.catchUp();
        sims.add(sim);
      }
      int port;
      try (ServerSocket s = new ServerSocket(0)) {
        port = s.getLocalPort();
      }
      String url = "http://127.0.0.1:" + port;
      AppConfig cfg =
          AppConfig.empty()
              .withHttp(new AppConfig.HttpSettings("127.0.0.1", port, null, null, List.of()))
              .withApp(
                  new AppConfig.AppSettings(
                      CLIENT_ID,
                      new Secret(CLIENT_SECRET),
                      URI.create(url),
                      AppConfig.AppSettings.DEFAULT_SCOPES,
                      "http://127.0.0.1:" + fleet.port() + "/shops/{shop}",
                      false));
      try (App app =
              App.open(
                  cfg,
                  jdbcUrl,
                  new AppOptions(clock, d -> {}, CrashPoints.NONE, 1)
                      .withTime(time, d -> Thread.sleep(time.toWall(d).toMillis())));
          Service service = app.service().create().start(cfg.http())) {
        progress.printf(
            "[demo] order-sync runs on %s with no shop; the app's merchants install it now%n", url);
        Map<String, Double> took = new LinkedHashMap<>();
        for (Simulator sim : sims) {
          String shop = sim.shop().domain();
          long start = System.nanoTime();
          String page = install(url, shop, clock.instant());
          await(() -> app.orders().stored().countAll(shop) == sim.shop().size());
          double seconds = (System.nanoTime() - start) / 1e9;
          took.put(shop, seconds);
          progress.printf(
              "[demo] %s: \"%s\"; %d of %d orders stored %.1f s after the click%n",
              shop, page, app.orders().stored().countAll(shop), sim.shop().size(), seconds);
        }
        Simulator gone = sims.get(0);
        progress.printf("[demo] %s uninstalls the app...%n", gone.shop().domain());
        gone.uninstallApp();
        await(
            () ->
                app.shops().states().of(ShopDomain.of(gone.shop().domain()))
                    == ShopStates.State.UNINSTALLED);
        long calls = gone.stats().requests();
        for (Simulator sim : sims) {
          sim.shop()
              .create(
                  new TrafficGenerator(9, ZoneId.of("UTC")).draft(TrafficShape.even()),
                  clock.instant(),
                  clock.instant());
        }
        for (Simulator sim : sims.subList(1, sims.size())) {
          await(() -> app.orders().stored().countAll(sim.shop().domain()) == sim.shop().size());
        }
        progress.printf(
            "[demo] %s: uninstalled, %d call(s) to it since; the others took their new order%n",
            gone.shop().domain(), gone.stats().requests() - calls);
        for (Simulator sim : sims) {
          String shop = sim.shop().domain();
          out.add(
              new Shop(
                  shop,
                  app.shops().states().of(ShopDomain.of(shop)).word(),
                  sim.shop().size(),
                  app.orders().stored().countAll(shop),
                  Math.round(took.get(shop) * 10) / 10.0));
        }
      }
    }
    return out;
  }

  /** The merchant installs the app: what the app's page says. */
  private String install(String url, String shop, Instant now) throws Exception {
    HttpResponse<String> r = merchant.install(url, shop, now);
    if (r.statusCode() != 200) {
      throw new IllegalStateException(shop + ": the install answered " + r.statusCode());
    }
    String body = r.body();
    int p = body.lastIndexOf("<p>");
    return body.substring(p + 3, body.indexOf("</p>", p)).replace("&#39;", "'");
  }

  private static void await(BooleanSupplier done) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (!done.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("the demo's shops were not imported within a minute");
      }
      Thread.sleep(100);
    }
  }
}
