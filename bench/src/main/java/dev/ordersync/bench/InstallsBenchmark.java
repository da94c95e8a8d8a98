package dev.ordersync.bench;

import dev.ordersync.App;
import dev.ordersync.AppOptions;
import dev.ordersync.config.AppConfig;
import dev.ordersync.secrets.Secret;
import dev.ordersync.service.Service;
import dev.ordersync.simulator.ShopFleet;
import dev.ordersync.simulator.Simulator;
import dev.ordersync.simulator.auth.Merchant;
import dev.ordersync.simulator.traffic.TrafficGenerator;
import dev.ordersync.simulator.traffic.TrafficShape;
import dev.ordersync.sync.CrashPoints;
import dev.ordersync.time.ScaledClock;
import dev.ordersync.time.TimeScale;
import java.lang.management.ManagementFactory;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Issue 25: merchants install the app one after another into a running cluster (instances of {@code
 * run} on one PostgreSQL, a simulator fleet playing Shopify): for each shop, the time from its
 * callback's answer to its first order stored; then what an installed shop costs the cluster while
 * it is idle (no new orders): heap, threads and API points an hour.
 *
 * <p>Arguments: shops (500), instances (2), time scale (10: order-sync's time runs that many times
 * faster than the wall clock), idle minutes of order-sync's time (60).
 */
public final class InstallsBenchmark {
  private static final Instant ORIGIN = Instant.parse("2026-12-04T15:00:00Z");
  private static final String CLIENT_ID = "bench-app";
  private static final String CLIENT_SECRET = "bench-app-secret";

  public static void main(String[] args) throws Exception {
    int shops = args.length > 0 ? Integer.parseInt(args[0]) : 500;
    int instances = args.length > 1 ? Integer.parseInt(args[1]) : 2;
    double scale = args.length > 2 ? Double.parseDouble(args[2]) : 10;
    int idleMinutes = args.length > 3 ? Integer.parseInt(args[3]) : 60;
    Report.machine();
    try (BenchDatabases dbs = new BenchDatabases()) {
      run(dbs.postgres("installs"), shops, instances, scale, idleMinutes);
    }
  }

  private static void run(String db, int shopCount, int instances, double scale, int idleMinutes)
      throws Exception {
    Clock wall = Clock.systemUTC();
    ScaledClock clock = new ScaledClock(wall, ORIGIN, wall.instant(), scale);
    TimeScale time = new TimeScale(clock, scale);
    List<App> apps = new ArrayList<>();
    List<Service> services = new ArrayList<>();
    try (ShopFleet fleet = ShopFleet.start(0)) {
      List<Simulator> sims = new ArrayList<>();
      for (int i = 1; i <= shopCount; i++) {
        Simulator sim =
            Simulator.builder()
                .in(fleet)
                .clock(clock)
                .seed(i)
                .domain(String.format("shop-%03d.myshopify.com", i))
                .token("shpat_unused_" + i)
                .clientCredentials(CLIENT_ID, CLIENT_SECRET, Duration.ofHours(1))
                .start();
        // five orders in the hour before: what the first pass finds
        sim.traffic()
            .plan(
                new TrafficGenerator(i, ZoneId.of("UTC"))
                    .between(
                        ORIGIN.minus(Duration.ofHours(1)),
                        ORIGIN.minus(Duration.ofMinutes(5)),
                        5,
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
              .withApp(
                  new AppConfig.AppSettings(
                      CLIENT_ID,
                      new Secret(CLIENT_SECRET),
                      URI.create(url),
                      AppConfig.AppSettings.DEFAULT_SCOPES,
                      "http://127.0.0.1:" + fleet.port() + "/shops/{shop}",
                      false));
      for (int i = 0; i < instances; i++) {
        App app =
            App.open(
                cfg,
                db,
                new AppOptions(clock, x -> {}, CrashPoints.NONE, i)
                    .withTime(time, x -> Thread.sleep(Math.max(0, time.toWall(x).toMillis()))));
        apps.add(app);
        services.add(
            app.service()
                .create()
                .start(
                    new AppConfig.HttpSettings(
                        "127.0.0.1", i == 0 ? port : 0, null, null, List.of())));
      }
      Runtime rt = Runtime.getRuntime();
      System.gc();
      long heapBefore = rt.totalMemory() - rt.freeMemory();
      int threadsBefore = ManagementFactory.getThreadMXBean().getThreadCount();

      Map<String, Long> calledBack = new ConcurrentHashMap<>();
      Map<String, Long> firstStored = new ConcurrentHashMap<>();
      App reader = apps.get(0);
      Thread watcher =
          new Thread(
              () -> {
                while (!Thread.currentThread().isInterrupted()) {
                  Map<String, Long> counts = counts(reader);
                  long now = System.nanoTime();
                  counts.forEach(
                      (shop, n) -> {
                        if (n > 0) {
                          firstStored.putIfAbsent(shop, now);
                        }
                      });
                  try {
                    Thread.sleep(50);
                  } catch (InterruptedException e) {
                    return;
                  }
                }
              },
              "bench-watcher");
      watcher.setDaemon(true);
      watcher.start();

      Merchant merchant = new Merchant(CLIENT_SECRET);
      long installStart = System.nanoTime();
      for (Simulator sim : sims) {
        String shop = sim.shop().domain();
        HttpResponse<String> r = merchant.install(url, shop, clock.instant());
        if (r.statusCode() != 200) {
          throw new IllegalStateException(shop + ": install answered " + r.statusCode());
        }
        calledBack.put(shop, System.nanoTime());
      }
      double installSeconds = (System.nanoTime() - installStart) / 1e9;
      long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
      while (firstStored.size() < shopCount && System.nanoTime() < deadline) {
        Thread.sleep(100);
      }
      watcher.interrupt();
      List<Double> latencies = new ArrayList<>();
      for (Map.Entry<String, Long> e : calledBack.entrySet()) {
        Long stored = firstStored.get(e.getKey());
        if (stored != null) {
          latencies.add(Math.max(0, stored - e.getValue()) / 1e9);
        }
      }
      Collections.sort(latencies);

      // idle: every shop installed and imported, no new order
      System.gc();
      long heapInstalled = rt.totalMemory() - rt.freeMemory();
      int threadsInstalled = ManagementFactory.getThreadMXBean().getThreadCount();
      long pointsBefore = points(sims);
      Instant idleStart = clock.instant();
      Instant idleEnd = idleStart.plus(Duration.ofMinutes(idleMinutes));
      while (clock.instant().isBefore(idleEnd)) {
        Thread.sleep(
            Math.max(1, time.toWall(Duration.between(clock.instant(), idleEnd)).toMillis()));
      }
      double hours = Duration.between(idleStart, clock.instant()).toMillis() / 3_600_000.0;
      long idlePoints = points(sims) - pointsBefore;

      String label =
          shopCount + " shops installed into " + instances + " instance(s), time x" + scale;
      Report.figure(label + ": installs, one after another, total", installSeconds, "s");
      Report.figure(label + ": shops with an order stored", firstStored.size(), "");
      Report.figure(
          label + ": callback to first order stored, p50 (wall)", percentile(latencies, 0.5), "s");
      Report.figure(
          label + ": callback to first order stored, p99 (wall)", percentile(latencies, 0.99), "s");
      Report.figure(
          label + ": callback to first order stored, max (wall)",
          latencies.isEmpty() ? Double.NaN : latencies.get(latencies.size() - 1),
          "s");
      Report.figure(
          label + ": heap per installed shop (after GC, whole JVM: instances and fleet)",
          (heapInstalled - heapBefore) / 1024.0 / shopCount,
          "KiB");
      Report.figure(
          label + ": threads added by the installs", threadsInstalled - threadsBefore, "");
      Map<String, Integer> byName = new java.util.TreeMap<>();
      for (Thread t : Thread.getAllStackTraces().keySet()) {
        byName.merge(t.getName().replaceAll("[0-9]+", "#"), 1, Integer::sum);
      }
      System.out.println("# threads by name after the installs: " + byName);
      Report.figure(
          label + ": API points an hour per idle shop (syncs, sweeps, checks)",
          idlePoints / hours / shopCount,
          "points");
    } finally {
      for (Service s : services) {
        s.close();
      }
      for (App a : apps) {
        a.close();
      }
    }
  }

  private static Map<String, Long> counts(App app) {
    Map<String, Long> out = new HashMap<>();
    app.service()
        .db()
        .read(
            h ->
                h.createQuery("SELECT shop, COUNT(*) FROM orders GROUP BY shop")
                    .map((rs, ctx) -> Map.entry(rs.getString(1), rs.getLong(2)))
                    .list())
        .forEach(e -> out.put(e.getKey(), e.getValue()));
    return out;
  }

  private static long points(List<Simulator> sims) {
    long sum = 0;
    for (Simulator s : sims) {
      sum += s.stats().actualCost();
    }
    return sum;
  }

  private static double percentile(List<Double> sorted, double p) {
    if (sorted.isEmpty()) {
      return Double.NaN;
    }
    return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p * sorted.size()) - 1));
  }
}
