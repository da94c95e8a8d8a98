package dev.ordersync.bench;

import dev.ordersync.App;
import dev.ordersync.config.ShopDomain;
import dev.ordersync.orders.FetchedOrder;
import dev.ordersync.orders.Order;
import dev.ordersync.orders.StorePath;
import dev.ordersync.reconcile.ReconcileReport;
import dev.ordersync.reconcile.Reconciliations;
import dev.ordersync.simulator.Simulator;
import dev.ordersync.simulator.cost.Plan;
import dev.ordersync.simulator.store.SimOrder;
import dev.ordersync.simulator.time.VirtualClock;
import dev.ordersync.sync.Window;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Reconciliation cost against the simulator's cost accounting, for a day of N orders: listing every
 * id (the naive way), a reconciliation with nothing missing, one with 10 missing; then, with {@code
 * --heap}, wall time and peak heap of a quiet and a full reconciliation (run this in a JVM with
 * -Xmx256m to show it fits).
 */
public final class ReconcileBenchmark {
  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
    boolean heap = args.length > 1 && args[1].equals("--heap");
    Report.machine();
    LocalDate day = LocalDate.of(2026, 11, 26);
    Window w = Reconciliations.day(day, ZoneId.of("America/New_York"));
    VirtualClock clock = new VirtualClock(w.end().plus(Duration.ofHours(1)));
    try (BenchDatabases dbs = new BenchDatabases();
        Simulator sim = Simulator.builder().clock(clock).plan(Plan.ENTERPRISE).start()) {
      List<Order> stored = new ArrayList<>(Math.min(n, 250));
      long step = w.length().toMillis() / n;
      String url = dbs.h2("reconcile");
      try (App app = Fixtures.app(sim, url, clock)) {
        ShopDomain shop = ShopDomain.of(sim.shop().domain());
        for (int i = 0; i < n; i++) {
          java.time.Instant at = Window.floorToSecond(w.start().plusMillis(i * step));
          SimOrder o = sim.shop().create(Fixtures.lightDraft(), at, at);
          stored.add(Fixtures.stored(shop.value(), o));
          if (stored.size() == 250 || i == n - 1) {
            app.orders()
                .batches()
                .store(stored.stream().map(FetchedOrder::mapped).toList(), StorePath.POLL);
            stored.clear();
          }
        }
        if (heap) {
          app.close();
          childReconcile(sim, url, day);
          return;
        }
        Fixtures.resetPeaks();
        long t0 = System.nanoTime();
        ReconcileReport quiet =
            app.reconcile()
                .reconciler()
                .reconcile(
                    app.shops().apis().get(shop), w, ReconcileReport.Kind.MANUAL, day, false);
        long quietMs = (System.nanoTime() - t0) / 1_000_000;
        ReconcileReport full =
            app.reconcile()
                .reconciler()
                .reconcile(app.shops().apis().get(shop), w, ReconcileReport.Kind.MANUAL, day, true);
        Report.figure(
            "listing every id of a " + n + "-order day (full comparison)",
            full.apiCost(),
            "points");
        Report.figure("reconciliation, nothing missing", quiet.apiCost(), "points");
        Report.figure(
            "  as a share of listing every id", 100.0 * quiet.apiCost() / full.apiCost(), "%");
        List<String> lost = new ArrayList<>();
        Random r = new Random(10);
        List<SimOrder> all = sim.shop().allOrders();
        while (lost.size() < 10) {
          String id = all.get(r.nextInt(all.size())).gid();
          if (!lost.contains(id)) {
            lost.add(id);
          }
        }
        app.service()
            .db()
            .inTransaction(
                c -> {
                  for (String id : lost) {
                    try (PreparedStatement ps =
                        c.getConnection()
                            .prepareStatement(
                                "DELETE FROM order_line_items WHERE " + "order_id = ?")) {
                      ps.setString(1, id);
                      ps.executeUpdate();
                    }
                    try (PreparedStatement ps =
                        c.getConnection().prepareStatement("DELETE FROM orders WHERE id = ?")) {
                      ps.setString(1, id);
                      ps.executeUpdate();
                    }
                  }
                  return null;
                });
        ReconcileReport ten =
            app.reconcile()
                .reconciler()
                .reconcile(
                    app.shops().apis().get(shop), w, ReconcileReport.Kind.MANUAL, day, false);
        if (ten.imported() != 10) {
          throw new IllegalStateException("expected to repair 10 orders: " + ten);
        }
        Report.figure("reconciliation, 10 missing (found and imported)", ten.apiCost(), "points");
        Report.figure(
            "  as a share of listing every id", 100.0 * ten.apiCost() / full.apiCost(), "%");
      }
    }
  }

  /**
   * order-sync's side of the reconciliation in its own JVM, capped at 256 MB, against this JVM's
   * simulator: the heap figure is order-sync's alone.
   */
  private static void childReconcile(Simulator sim, String url, LocalDate day) throws Exception {
    Process p =
        Fixtures.child(
            ReconcileBenchmark.Child.class,
            sim.endpoint(),
            url,
            day.toString(),
            sim.clock().instant().toString());
    if (p.waitFor() != 0) {
      throw new IllegalStateException("the reconciliation in -Xmx256m failed");
    }
  }

  /** The child JVM: a quiet and a full reconciliation, wall time and peak heap of each. */
  public static final class Child {
    public static void main(String[] args) throws Exception {
      LocalDate day = LocalDate.parse(args[2]);
      Window w = Reconciliations.day(day, ZoneId.of("America/New_York"));
      try (App app =
          Fixtures.remoteApp(
              args[0],
              args[1],
              java.time.Instant.parse(args[3]),
              dev.ordersync.config.SyncSettings.defaults())) {
        String name = "sim-shop.myshopify.com";
        System.gc();
        Fixtures.resetPeaks();
        long t0 = System.nanoTime();
        ReconcileReport quiet =
            app.reconcile()
                .reconciler()
                .reconcile(
                    app.shops().apis().get(ShopDomain.of(name)),
                    w,
                    ReconcileReport.Kind.MANUAL,
                    day,
                    false);
        Report.figure(
            "quiet day of " + quiet.shopifyCount() + " orders, -Xmx256m: wall",
            (System.nanoTime() - t0) / 1e6,
            "ms");
        Report.figure("  sum of heap pools' peaks (an upper bound)", Fixtures.peakHeapMb(), "MB");
        Fixtures.resetPeaks();
        long t1 = System.nanoTime();
        ReconcileReport full =
            app.reconcile()
                .reconciler()
                .reconcile(
                    app.shops().apis().get(ShopDomain.of(name)),
                    w,
                    ReconcileReport.Kind.MANUAL,
                    day,
                    true);
        Report.figure(
            "full id comparison of " + full.shopifyCount() + " orders, -Xmx256m: " + "wall",
            (System.nanoTime() - t1) / 1e6,
            "ms");
        Report.figure("  sum of heap pools' peaks (an upper bound)", Fixtures.peakHeapMb(), "MB");
        Report.figure("  status (must be OK)", full.status().ordinal(), full.status().name());
        Report.figure("  API cost of the full comparison", full.apiCost(), "points");
      }
    }
  }
}
