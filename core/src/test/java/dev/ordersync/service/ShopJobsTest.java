package dev.ordersync.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ordersync.App;
import dev.ordersync.AppOptions;
import dev.ordersync.config.AppConfig;
import dev.ordersync.config.ShopConfig;
import dev.ordersync.config.ShopDomain;
import dev.ordersync.config.SyncSettings;
import dev.ordersync.secrets.Secret;
import dev.ordersync.simulator.ShopFleet;
import dev.ordersync.simulator.Simulator;
import dev.ordersync.simulator.faults.Fault;
import dev.ordersync.sync.CrashPoints;
import dev.ordersync.sync.PassResult;
import dev.ordersync.testing.Drafts;
import dev.ordersync.testing.TestDatabases;
import dev.ordersync.time.ScaledClock;
import dev.ordersync.time.TimeScale;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Issue 16: each shop's jobs are task instances of their own in db-scheduler, so several instances
 * of {@code run} on one PostgreSQL share the shops, and no shop ever has two passes at once. Real
 * schedulers on the wall clock, order-sync's own time 60 times faster (a sync every second); the
 * shops served by one simulator fleet on one port.
 */
class ShopJobsTest {
  private static final int SHOPS = 24;
  private static final int INSTANCES = 3;
  private static final double SCALE = 60;

  @Test
  void several_instances_share_the_shops_and_never_run_two_passes_of_one_shop_at_once()
      throws Exception {
    Clock wall = Clock.systemUTC();
    Instant origin = Instant.parse("2026-11-20T17:00:00Z");
    ScaledClock clock = new ScaledClock(wall, origin, wall.instant(), SCALE);
    TimeScale time = new TimeScale(clock, SCALE);
    List<Simulator> sims = new ArrayList<>();
    List<App> apps = new ArrayList<>();
    List<Service> services = new ArrayList<>();
    try (ShopFleet fleet = ShopFleet.start(0)) {
      Drafts drafts = new Drafts(5);
      for (int i = 0; i < SHOPS; i++) {
        Simulator sim =
            Simulator.builder()
                .in(fleet)
                .clock(clock)
                .seed(i)
                .domain("shop-" + i + ".myshopify.com")
                .token("shpat_" + i)
                .start();
        for (int k = 0; k < 20; k++) {
          Instant at = origin.minus(Duration.ofMinutes(50)).plusSeconds(k * 60L);
          sim.shop().create(drafts.next(), at, at);
        }
        // passes take a while (wall time), so that two of one shop would overlap if allowed
        sim.faults().slowDelay(Duration.ofMillis(150)).rate(Fault.SLOW, 0.5);
        sims.add(sim);
      }
      AppConfig cfg = config(sims);
      String db = TestDatabases.fresh(TestDatabases.Kind.POSTGRES);
      for (int i = 0; i < INSTANCES; i++) {
        App app =
            App.open(
                cfg,
                db,
                new AppOptions(clock, d -> {}, CrashPoints.NONE, i)
                    .withTime(time, d -> Thread.sleep(time.toWall(d).toMillis())));
        apps.add(app);
        services.add(
            app.service()
                .create()
                .start(new AppConfig.HttpSettings("127.0.0.1", 0, null, null, List.of())));
      }

      await()
          .atMost(120, TimeUnit.SECONDS)
          .pollInterval(200, TimeUnit.MILLISECONDS)
          .until(
              () ->
                  sims.stream()
                      .allMatch(
                          s ->
                              apps.get(0)
                                      .sync()
                                      .passLog()
                                      .recent(ShopDomain.of(s.shop().domain()), 20)
                                      .size()
                                  >= 8));
      for (Service s : services) {
        s.close(); // and its database: read through a new one
      }
      services.clear();
      App reader = App.open(cfg, db, new AppOptions(clock, d -> {}, CrashPoints.NONE, 9));
      apps.add(reader);

      for (Simulator sim : sims) {
        String shop = sim.shop().domain();
        List<PassResult> passes =
            new ArrayList<>(reader.sync().passLog().recent(ShopDomain.of(shop), 1_000));
        passes.sort(Comparator.comparing(PassResult::startedAt));
        for (int i = 1; i < passes.size(); i++) {
          assertThat(passes.get(i).startedAt())
              .as("%s: pass %d started before pass %d ended", shop, i, i - 1)
              .isAfterOrEqualTo(passes.get(i - 1).finishedAt());
        }
        assertThat(reader.orders().stored().countAll(shop)).as(shop).isEqualTo(20);
      }
      long working =
          apps.subList(0, INSTANCES).stream()
              .filter(a -> a.service().runningJobs().completed() > 0)
              .count();
      assertThat(working).as("instances that ran shops' jobs").isGreaterThanOrEqualTo(2);
    } finally {
      for (Service s : services) {
        s.close();
      }
      for (App a : apps) {
        a.close();
      }
    }
  }

  private static AppConfig config(List<Simulator> sims) {
    List<ShopConfig> shops = new ArrayList<>();
    for (int i = 0; i < sims.size(); i++) {
      Simulator sim = sims.get(i);
      shops.add(
          new ShopConfig(
              ShopDomain.of(sim.shop().domain()),
              new Secret("shpat_" + i),
              Optional.of(URI.create(sim.endpoint())),
              "2026-10",
              Optional.of(ZoneId.of("America/New_York")),
              List.of()));
    }
    return new AppConfig(
            shops,
            Optional.empty(),
            SyncSettings.defaults(),
            Duration.ofMinutes(1),
            AppConfig.ReconcileSettings.defaults(),
            AppConfig.ClientSettings.defaults(),
            0)
        .withRun(new AppConfig.RunSettings(2));
  }
}
