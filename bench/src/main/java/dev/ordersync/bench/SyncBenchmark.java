package dev.ordersync.bench;

import dev.ordersync.App;
import dev.ordersync.AppOptions;
import dev.ordersync.config.ShopDomain;
import dev.ordersync.simulator.Simulator;
import dev.ordersync.simulator.cost.Plan;
import dev.ordersync.simulator.time.VirtualClock;
import dev.ordersync.simulator.traffic.TrafficGenerator;
import dev.ordersync.simulator.traffic.TrafficShape;
import dev.ordersync.sync.PassResult;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;

/**
 * End-to-end `sync --once` of N orders from the simulator over HTTP into H2 and PostgreSQL: orders
 * per second of wall time, and API cost per order. The simulator runs on a virtual clock on the
 * Plus plan, so the figure is order-sync's own speed, not Shopify's rate limit (which at Standard's
 * 100 points/s would cap any client at about 100 / cost-per-order orders/s).
 */
public final class SyncBenchmark {
  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
    Report.machine();
    try (BenchDatabases dbs = new BenchDatabases()) {
      run("H2 file", dbs.h2("sync"), n);
      run("PostgreSQL 17", dbs.postgres("sync"), n);
    }
  }

  private static void run(String label, String url, int n) {
    Instant start = Fixtures.dayStart().plus(Duration.ofDays(1)).plus(Duration.ofMinutes(5));
    VirtualClock clock = new VirtualClock(start);
    try (Simulator sim = Simulator.builder().clock(clock).plan(Plan.PLUS).seed(3).start()) {
      sim.traffic()
          .plan(
              new TrafficGenerator(3, ZoneId.of("America/New_York"))
                  .between(
                      Fixtures.dayStart(),
                      Fixtures.dayStart().plus(Duration.ofDays(1)),
                      n,
                      TrafficShape.realistic().withoutFlashSale()));
      sim.catchUp();
      sim.traffic().stop(); // nothing changes during the pass: every order is in its window
      try (App app =
          App.open(
              Fixtures.config(sim, java.util.List.of(), Duration.ofDays(2)),
              url,
              new AppOptions(clock, clock::advance, dev.ordersync.sync.CrashPoints.NONE, 1))) {
        long t0 = System.nanoTime();
        PassResult r = app.sync().once(ShopDomain.of(sim.shop().domain()));
        double s = (System.nanoTime() - t0) / 1e9;
        long inWindow =
            sim.shop().allOrders().stream()
                .filter(o -> o.updatedAt().isBefore(r.windowEnd()))
                .count();
        if (!r.ok() || app.orders().stored().countAll(sim.shop().domain()) < inWindow) {
          throw new IllegalStateException("the pass did not store every order: " + r);
        }
        Report.figure(
            "sync --once, " + label + ", " + sim.shop().size() + " orders, wall",
            sim.shop().size() / s,
            "orders/s");
        Report.figure(
            "sync --once, " + label + ", API cost per order (actual)",
            (double) r.apiCost() / sim.shop().size(),
            "points");
        Report.figure(
            "sync --once, " + label + ", requests",
            app.shops().apis().get(ShopDomain.of(sim.shop().domain())).client().meter().requests(),
            "requests");
      }
    }
  }
}
