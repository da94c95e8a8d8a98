package dev.ordersync.bench;

import dev.ordersync.App;
import dev.ordersync.AppOptions;
import dev.ordersync.config.AppConfig;
import dev.ordersync.config.ShopConfig;
import dev.ordersync.config.ShopDomain;
import dev.ordersync.config.SyncSettings;
import dev.ordersync.secrets.Secret;
import dev.ordersync.service.Service;
import dev.ordersync.simulator.ShopFleet;
import dev.ordersync.simulator.Simulator;
import dev.ordersync.simulator.traffic.TrafficGenerator;
import dev.ordersync.simulator.traffic.TrafficShape;
import dev.ordersync.sync.Checkpoints;
import dev.ordersync.sync.CrashPoints;
import dev.ordersync.time.ScaledClock;
import dev.ordersync.time.TimeScale;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * Many shops, one to three instances of {@code run} on one PostgreSQL (issue 16): every shop of a
 * simulator fleet takes orders all the time; the instances sync each shop at the default {@code
 * sync.interval}, on their own time, which runs {@code scale} times faster than the wall clock.
 * Sampled every 50 seconds of their time after a warm-up: each shop's sync lag (now minus its
 * watermark). Also API points per order, and the CPU this JVM used (the instances and the simulator
 * fleet share it; PostgreSQL runs apart).
 *
 * <p>Arguments: shops (300), orders a minute per shop (10), minutes of the instances' time (30),
 * time scale (10), instance counts (1,2,3), run.threads (the default).
 */
public final class ShopsBenchmark {
  private static final Instant ORIGIN = Instant.parse("2026-11-20T15:00:00Z");
  private static final Duration WARM_UP = Duration.ofMinutes(10);
  private static final Duration INTERVAL = AppConfig.DEFAULT_SYNC_INTERVAL;

  public static void main(String[] args) throws Exception {
    int shops = args.length > 0 ? Integer.parseInt(args[0]) : 300;
    int perMinute = args.length > 1 ? Integer.parseInt(args[1]) : 10;
    int minutes = args.length > 2 ? Integer.parseInt(args[2]) : 30;
    double scale = args.length > 3 ? Double.parseDouble(args[3]) : 10;
    String counts = args.length > 4 ? args[4] : "1,2,3";
    int threads =
        args.length > 5
            ? Integer.parseInt(args[5])
            : AppConfig.RunSettings.defaults().threads(); // run.threads
    Report.machine();
    try (BenchDatabases dbs = new BenchDatabases()) {
      for (String n : counts.split(",")) {
        int instances = Integer.parseInt(n.trim());
        run(
            dbs.postgres("shops" + instances),
            shops,
            perMinute,
            minutes,
            scale,
            instances,
            threads);
      }
    }
  }

  private static void run(
      String db,
      int shopCount,
      int perMinute,
      int minutes,
      double scale,
      int instances,
      int threads)
      throws Exception {
    Clock wall = Clock.systemUTC();
    ScaledClock clock = new ScaledClock(wall, ORIGIN, wall.instant(), scale);
    TimeScale time = new TimeScale(clock, scale);
    List<App> apps = new ArrayList<>();
    List<Service> services = new ArrayList<>();
    List<Simulator> sims = new ArrayList<>();
    try (ShopFleet fleet = ShopFleet.start(0)) {
      List<ShopConfig> shops = new ArrayList<>();
      for (int i = 0; i < shopCount; i++) {
        String token = "shpat_bench_" + i;
        Simulator sim =
            Simulator.builder()
                .in(fleet)
                .clock(clock)
                .seed(i)
                .domain("shop-" + i + ".myshopify.com")
                .token(token)
                .start();
        sim.traffic()
            .plan(
                new TrafficGenerator(i, ZoneId.of("America/New_York"))
                    .between(
                        ORIGIN,
                        ORIGIN.plus(Duration.ofMinutes(minutes + 5)),
                        perMinute * (minutes + 5),
                        TrafficShape.even()));
        sims.add(sim);
        shops.add(
            new ShopConfig(
                ShopDomain.of(sim.shop().domain()),
                new Secret(token),
                Optional.of(URI.create(sim.endpoint())),
                "2026-10",
                Optional.of(ZoneId.of("America/New_York")),
                List.of()));
      }
      SyncSettings d = SyncSettings.defaults();
      AppConfig cfg =
          new AppConfig(
                  shops,
                  Optional.empty(),
                  new SyncSettings(
                          d.settleLag(), d.overlap(), d.maxWindow(), Duration.ofMinutes(10))
                      .withBulkThreshold(0),
                  INTERVAL,
                  AppConfig.ReconcileSettings.defaults(),
                  new AppConfig.ClientSettings(Duration.ofSeconds(5), Duration.ofSeconds(30), 8),
                  0)
              .withRun(new AppConfig.RunSettings(threads));
      com.sun.management.OperatingSystemMXBean os =
          (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
      long cpuBefore = os.getProcessCpuTime();
      long wallBefore = System.nanoTime();
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
                .start(new AppConfig.HttpSettings("127.0.0.1", 0, null, null, List.of())));
      }

      App reader = apps.get(0);
      List<Double> lagMinutes = new ArrayList<>();
      List<Double> worstPerSample = new ArrayList<>();
      Instant end = ORIGIN.plus(Duration.ofMinutes(minutes));
      Instant nextSample = ORIGIN.plus(WARM_UP);
      while (clock.instant().isBefore(end)) {
        if (clock.instant().isBefore(nextSample)) {
          Thread.sleep(
              Math.max(1, time.toWall(Duration.between(clock.instant(), nextSample)).toMillis()));
          continue;
        }
        Instant now = clock.instant();
        double worst = 0;
        for (Simulator sim : sims) {
          Instant watermark =
              reader
                  .sync()
                  .checkpoints()
                  .get(ShopDomain.of(sim.shop().domain()), Checkpoints.ORDERS)
                  .map(Checkpoints.Checkpoint::watermark)
                  .orElse(ORIGIN.minus(Duration.ofMinutes(10)));
          double lag = Duration.between(watermark, now).toMillis() / 60_000.0;
          lagMinutes.add(lag);
          worst = Math.max(worst, lag);
        }
        worstPerSample.add(worst);
        nextSample = nextSample.plus(Duration.ofSeconds(50));
      }
      PassTimes passes = passTimes(reader, ORIGIN.plus(WARM_UP));
      long waitedMillis = 0; // pacing, throttling and backoff, in the instances' time
      for (App app : apps) {
        for (ShopDomain shop : app.shops().apis().names()) {
          waitedMillis += app.shops().apis().get(shop).client().meter().waitedMillis();
        }
      }
      long passCount =
          reader
              .service()
              .db()
              .<Long>read(
                  h -> h.createQuery("SELECT COUNT(*) FROM sync_passes").mapTo(Long.class).one());
      long cpuNanos = os.getProcessCpuTime() - cpuBefore;
      double wallSeconds = (System.nanoTime() - wallBefore) / 1e9;
      for (Service s : services) {
        s.close();
      }
      services.clear();

      long orders = 0;
      long points = 0;
      for (Simulator sim : sims) {
        orders += sim.shop().size();
        points += sim.stats().actualCost();
      }
      Collections.sort(lagMinutes);
      String label = shopCount + " shops, " + instances + " instance(s), " + threads + " threads";
      Report.figure(label + ": sync lag p50", percentile(lagMinutes, 0.50), "min");
      Report.figure(label + ": sync lag p99", percentile(lagMinutes, 0.99), "min");
      Report.figure(label + ": worst shop's lag, max", Collections.max(worstPerSample), "min");
      Report.figure(label + ": pass duration p50", percentile(passes.durations(), 0.50), "s");
      Report.figure(label + ": pass duration p99", percentile(passes.durations(), 0.99), "s");
      Report.figure(
          label + ": a pass's start after the previous one's end plus the interval, p50",
          percentile(passes.lateStarts(), 0.50),
          "s");
      Report.figure(
          label + ": a pass's start after the previous one's end plus the interval, p99",
          percentile(passes.lateStarts(), 0.99),
          "s");
      Report.figure(
          label + ": waits for Shopify's rate limit and retries (passes, sweeps), per pass",
          waitedMillis / 1e3 / passCount,
          "s");
      Report.figure(label + ": API points per order", (double) points / orders, "points");
      Report.figure(
          label + ": CPU of this JVM (the instances and the fleet)",
          cpuNanos / 1e9 / wallSeconds,
          "cores");
      Report.figure(label + ": orders created", orders, "");
    } finally {
      for (Service s : services) {
        s.close();
      }
      for (App a : apps) {
        a.close();
      }
    }
  }

  /** Seconds (instances' time) each pass took, and how late each started after its due time. */
  private record PassTimes(List<Double> durations, List<Double> lateStarts) {}

  private static PassTimes passTimes(App reader, Instant since) {
    List<Double> durations = new ArrayList<>();
    List<Double> late = new ArrayList<>();
    reader
        .service()
        .db()
        .read(
            h ->
                h.createQuery(
                        "SELECT shop, started_at, finished_at FROM sync_passes "
                            + "WHERE started_at >= :since ORDER BY shop, started_at")
                    .bind("since", since)
                    .reduceRows(
                        new String[1],
                        (previous, row) -> {
                          Instant started =
                              row.getColumn("started_at", java.time.OffsetDateTime.class)
                                  .toInstant();
                          Instant finished =
                              row.getColumn("finished_at", java.time.OffsetDateTime.class)
                                  .toInstant();
                          durations.add(Duration.between(started, finished).toMillis() / 1e3);
                          String shop = row.getColumn("shop", String.class);
                          if (previous[0] != null && previous[0].startsWith(shop + " ")) {
                            Instant due =
                                Instant.parse(previous[0].substring(shop.length() + 1))
                                    .plus(INTERVAL);
                            late.add(Duration.between(due, started).toMillis() / 1e3);
                          }
                          previous[0] = shop + " " + finished;
                          return previous;
                        }));
    Collections.sort(durations);
    Collections.sort(late);
    return new PassTimes(durations, late);
  }

  private static double percentile(List<Double> sorted, double p) {
    if (sorted.isEmpty()) {
      return Double.NaN;
    }
    return sorted.get(Math.min(sorted.size() - 1, (int) Math.floor(p * sorted.size())));
  }
}
