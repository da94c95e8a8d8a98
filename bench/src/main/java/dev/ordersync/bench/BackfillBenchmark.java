package dev.ordersync.bench;

import dev.ordersync.App;
import dev.ordersync.AppOptions;
import dev.ordersync.config.ShopDomain;
import dev.ordersync.config.SyncSettings;
import dev.ordersync.shopify.ShopifyOrders;
import dev.ordersync.simulator.Simulator;
import dev.ordersync.simulator.cost.Plan;
import dev.ordersync.simulator.time.VirtualClock;
import dev.ordersync.simulator.traffic.TrafficGenerator;
import dev.ordersync.simulator.traffic.TrafficShape;
import dev.ordersync.sync.Backfill;
import dev.ordersync.sync.BulkWindowImport;
import dev.ordersync.sync.PassResult;
import dev.ordersync.sync.Window;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;

/**
 * Bulk Operations (issue 14) on the Standard plan (100 points/s), into PostgreSQL 17.
 *
 * <ol>
 *   <li>{@code backfill} of N orders (default 500,000; light orders of one line item, so that the
 *       simulator holds them) in a child JVM capped at 256 MB: wall time, orders/s, API points,
 *       peak heap; and the points a paged import of the same window would spend, from a paged
 *       import of a 10,000-order part of it.
 *   <li>The catch-up after a two-hour outage at 10 orders/s (72,000 orders as the traffic generator
 *       makes them): one pass with bulk, one without, over the same orders, each from the same
 *       watermark into its own database: Shopify's time until caught up, wall, points.
 * </ol>
 *
 * Shopify does not publish how fast it runs a bulk query; the simulator is set to 2,000 objects
 * (orders and line items) a second.
 */
public final class BackfillBenchmark {
  static final double OBJECTS_PER_SECOND = 2_000;

  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 500_000;
    int outageOrders = args.length > 1 ? Integer.parseInt(args[1]) : 72_000;
    Report.machine();
    try (BenchDatabases dbs = new BenchDatabases()) {
      backfill(dbs, n);
      outage(dbs, outageOrders);
    }
  }

  private static void backfill(BenchDatabases dbs, int n) throws Exception {
    Window window =
        new Window(
            Fixtures.dayStart().minus(Duration.ofDays(29)),
            Fixtures.dayStart().plus(Duration.ofDays(1)));
    VirtualClock clock = new VirtualClock(window.end().plus(Duration.ofHours(1)));
    try (Simulator sim = Simulator.builder().clock(clock).plan(Plan.STANDARD).start()) {
      sim.bulk().setRate(OBJECTS_PER_SECOND);
      long step = window.length().toMillis() / n;
      for (int i = 0; i < n; i++) {
        Instant at = Window.floorToSecond(window.start().plusMillis(i * step));
        sim.shop().create(Fixtures.lightDraft(), at, at);
      }
      Process child =
          Fixtures.child(
              Child.class,
              sim.endpoint(),
              dbs.postgres("backfill"),
              window.start().toString(),
              window.end().toString(),
              clock.instant().toString());
      if (child.waitFor() != 0) {
        throw new IllegalStateException("the backfill in -Xmx256m failed");
      }
      // what paging would cost: a part of the window, the bulk operation made to fail at once
      Window part = new Window(window.start(), window.start().plusMillis(step * 10_000));
      sim.bulk().failNext("INTERNAL_SERVER_ERROR", 0);
      try (App app = Fixtures.app(sim, dbs.postgres("paged"), clock)) {
        ShopifyOrders api = app.shops().apis().get(ShopDomain.of(sim.shop().domain()));
        Backfill.Result paged =
            app.sync().backfill().run(api, part, BulkWindowImport.Progress.NONE);
        double perOrder = (double) paged.apiCost() / paged.orders();
        Report.figure(
            "paged import, " + paged.orders() + " orders: points per order", perOrder, "points");
        Report.figure(
            "paged import of the whole window (per order x " + n + ")", perOrder * n, "points");
        Report.figure("  its time at Standard's 100 points/s", perOrder * n / 100 / 3600, "hours");
      }
    }
  }

  /** order-sync's side of the backfill, in -Xmx256m. */
  public static final class Child {
    public static void main(String[] args) throws Exception {
      Window window = new Window(Instant.parse(args[2]), Instant.parse(args[3]));
      try (App app =
          Fixtures.remoteApp(args[0], args[1], Instant.parse(args[4]), SyncSettings.defaults())) {
        ShopifyOrders api = app.shops().apis().get(ShopDomain.of("sim-shop.myshopify.com"));
        System.gc();
        Fixtures.resetPeaks();
        Instant virtualStart = app.service().clock().instant();
        com.sun.management.OperatingSystemMXBean os =
            (com.sun.management.OperatingSystemMXBean)
                java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        long cpu0 = os.getProcessCpuTime();
        long t0 = System.nanoTime();
        Backfill.Result r = app.sync().backfill().run(api, window, BulkWindowImport.Progress.NONE);
        double seconds = (System.nanoTime() - t0) / 1e9;
        double cpuSeconds = (os.getProcessCpuTime() - cpu0) / 1e9;
        if (!r.ok() || !r.method().equals("bulk") || r.written() != r.orders()) {
          throw new IllegalStateException("the backfill did not store every order in bulk: " + r);
        }
        Report.figure(
            "backfill of " + r.orders() + " orders in bulk, -Xmx256m: wall", seconds, "s");
        Report.figure("  orders stored per second of wall time", r.orders() / seconds, "orders/s");
        Report.figure(
            "  order-sync's CPU time (the simulator and PostgreSQL share the 2 cores)",
            cpuSeconds,
            "s");
        Report.figure("  orders per CPU second of order-sync", r.orders() / cpuSeconds, "orders/s");
        Report.figure("  API points", r.apiCost(), "points");
        Report.figure("  sum of heap pools' peaks (an upper bound)", Fixtures.peakHeapMb(), "MB");
        Report.figure(
            "  Shopify's time (its bulk work at 2,000 objects/s, simulated)",
            Duration.between(virtualStart, app.service().clock().instant()).toSeconds(),
            "s");
      }
    }
  }

  private static void outage(BenchDatabases dbs, int orders) throws Exception {
    Instant t = Fixtures.dayStart().plus(Duration.ofDays(1));
    VirtualClock clock = new VirtualClock(t);
    try (Simulator sim = Simulator.builder().clock(clock).plan(Plan.STANDARD).seed(5).start()) {
      sim.bulk().setRate(OBJECTS_PER_SECOND);
      ShopDomain shop = ShopDomain.of(sim.shop().domain());
      App bulk = app(sim, dbs.postgres("outage_bulk"), clock, SyncSettings.DEFAULT_BULK_THRESHOLD);
      App paged = app(sim, dbs.postgres("outage_paged"), clock, 0);
      bulk.sync().once(shop);
      paged.sync().once(shop);
      TrafficGenerator gen = new TrafficGenerator(5, ZoneId.of("America/New_York"));
      Duration outage = Duration.ofHours(2);
      long step = outage.toMillis() / orders;
      for (int i = 0; i < orders; i++) {
        Instant at = t.plusMillis(i * step);
        sim.shop().create(gen.draft(TrafficShape.even()), at, at);
      }
      clock.advance(outage.plus(Duration.ofMinutes(2)));
      sim.catchUp();
      for (var run : List.of(new Object[] {"with bulk", bulk}, new Object[] {"paged", paged})) {
        App app = (App) run[1];
        Instant virtualStart = clock.instant();
        long t0 = System.nanoTime();
        PassResult r = app.sync().once(shop);
        double wall = (System.nanoTime() - t0) / 1e9;
        if (!r.ok() || app.orders().stored().countAll(shop.value()) != orders) {
          throw new IllegalStateException("the catch-up did not store every order: " + r);
        }
        String label = "catch-up of " + orders + " orders after 2 h, " + run[0];
        Report.figure(
            label + ": Shopify's time",
            Duration.between(virtualStart, clock.instant()).toSeconds() / 60.0,
            "minutes");
        Report.figure("  wall", wall, "s");
        Report.figure("  API points", r.apiCost(), "points");
        Report.figure("  API points per order", (double) r.apiCost() / orders, "points");
      }
      bulk.close();
      paged.close();
    }
  }

  private static App app(Simulator sim, String url, VirtualClock clock, int bulkThreshold) {
    dev.ordersync.config.AppConfig base = Fixtures.config(sim, List.of());
    dev.ordersync.config.AppConfig cfg =
        base.withSync(base.sync().withBulkThreshold(bulkThreshold));
    return App.open(
        cfg, url, new AppOptions(clock, clock::advance, dev.ordersync.sync.CrashPoints.NONE, 1));
  }
}
