package dev.ordersync.demo;

import dev.ordersync.App;
import dev.ordersync.AppOptions;
import dev.ordersync.config.AppConfig;
import dev.ordersync.config.ShopConfig;
import dev.ordersync.config.ShopDomain;
import dev.ordersync.config.SyncSettings;
import dev.ordersync.secrets.Secret;
import dev.ordersync.service.HttpApi;
import dev.ordersync.simulator.Simulator;
import dev.ordersync.simulator.cost.Plan;
import dev.ordersync.simulator.faults.Fault;
import dev.ordersync.simulator.store.SimOrder;
import dev.ordersync.simulator.time.VirtualClock;
import dev.ordersync.simulator.traffic.TrafficGenerator;
import dev.ordersync.simulator.traffic.TrafficShape;
import dev.ordersync.sync.CrashPoints;
import dev.ordersync.webhook.WebhookWorker;
import java.io.PrintStream;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The demo: one shop-local day of seeded traffic against the simulator, with faults, played on a
 * virtual clock. order-sync runs its jobs on their schedule (sync every 3 minutes, sweep every 15,
 * the nightly reconciliation at midnight); beside it, a naive importer does what the seed's old
 * jobs did. At the end both are compared with the simulator's own list of orders.
 */
public final class DemoScenario {
  private static final Duration STEP = Duration.ofMinutes(1);
  private static final String WEBHOOK_SECRET = "demo-webhook-secret";

  private final DemoOptions options;
  private final PrintStream progress;

  public DemoScenario(DemoOptions options, PrintStream progress) {
    this.options = options;
    this.progress = progress;
  }

  public DemoResult run() {
    long wallStart = System.nanoTime();
    Instant dayStart = options.day().atStartOfDay(options.zone()).toInstant();
    Instant dayEnd = options.day().plusDays(1).atStartOfDay(options.zone()).toInstant();
    Instant finish = dayEnd.plus(Duration.ofMinutes(30));
    VirtualClock clock = new VirtualClock(dayStart);
    try (Simulator sim =
        Simulator.builder()
            .clock(clock)
            .seed(options.seed())
            .zone(options.zone())
            .plan(Plan.STANDARD)
            .webhookSecret(WEBHOOK_SECRET)
            .start()) {
      TrafficShape shape = TrafficShape.realistic().withBackdated(options.faults() ? 0.01 : 0);
      sim.traffic()
          .plan(
              new TrafficGenerator(options.seed(), options.zone())
                  .between(dayStart, dayEnd, options.orders(), shape));
      Duration indexLag = Duration.ofSeconds(options.faults() ? 45 : 5);
      sim.shop().setIndexLag(indexLag);
      Schedule faults =
          options.faults() ? scheduleFaults(sim, options.day(), indexLag) : new Schedule(indexLag);
      AppConfig config = config(sim);
      try (App app =
              App.open(
                  config,
                  options.jdbcUrl(),
                  new AppOptions(clock, clock::advance, CrashPoints.NONE, options.seed()));
          WebhookWorker worker = app.webhooks().worker();
          HttpApi http = app.service().httpApi(worker::wake)) {
        if (options.webhooks()) {
          http.start("127.0.0.1", 0);
          worker.start();
          String uri = "http://127.0.0.1:" + http.port() + "/webhooks/shopify";
          for (String topic :
              List.of("ORDERS_CREATE", "ORDERS_UPDATED", "ORDERS_CANCELLED", "ORDERS_DELETE")) {
            app.shops().apis().admin(ShopDomain.of(sim.shop().domain())).createWebhook(topic, uri);
          }
          if (options.faults()) {
            sim.webhooks().setFaults(0.02, 0.05, Duration.ofMinutes(2));
          }
        }
        NaiveImporter naive =
            new NaiveImporter(
                URI.create(sim.endpoint()),
                Simulator.SECOND_APP_TOKEN,
                dayStart); // an app of its own: its own rate limit
        long minute = 0;
        long syncEvery = app.config().syncInterval().toMinutes();
        long sweepEvery = app.config().reconcile().sweepInterval().toMinutes();
        Instant lastReport = dayStart;
        for (Instant t = dayStart; t.isBefore(finish); t = t.plus(STEP), minute++) {
          clock.advanceTo(t);
          sim.tick();
          faults.apply(sim, clock.instant());
          if (minute % syncEvery == 0) {
            // The worker stores a delivery within milliseconds; here a virtual minute passes in
            // about as long, so it is given the time it would have had before the pass
            app.webhooks().processor().processPending();
            // as `run`'s sync job does: each pass, then the check after it
            app.sync().once().forEach(app.reconcile().sweep()::checkAfter);
          }
          if (minute % sweepEvery == 0) {
            app.reconcile().sweep().run();
          }
          if (minute % 15 == 0) {
            naive.run(clock.instant());
          }
          if (t.equals(dayEnd)) {
            app.reconcile().nightly().everyShop();
          }
          if (Duration.between(lastReport, clock.instant()).toHours() >= 1) {
            lastReport = clock.instant();
            progress.printf(
                "\r[demo] %s local: %d orders in Shopify, %d stored   ",
                ZonedDateTime.ofInstant(clock.instant(), options.zone())
                    .toLocalTime()
                    .withSecond(0)
                    .withNano(0),
                sim.shop().size(),
                app.orders().stored().countAll(sim.shop().domain()));
            progress.flush();
          }
        }
        // The day is over: no more traffic; one last pass brings the store up to Shopify.
        sim.traffic().stop();
        clock.advance(Duration.ofMinutes(2));
        sim.tick();
        app.sync().once();
        app.webhooks().processor().processPending();
        progress.println();
        return result(sim, app, naive, faults, wallStart);
      }
    }
  }

  private AppConfig config(Simulator sim) {
    ShopConfig shop =
        new ShopConfig(
            ShopDomain.of(sim.shop().domain()),
            new Secret(Simulator.DEFAULT_TOKEN),
            Optional.of(URI.create(sim.endpoint())),
            "2026-10",
            Optional.empty(),
            List.of(new Secret(WEBHOOK_SECRET)));
    return new AppConfig(
        List.of(shop),
        Optional.empty(),
        SyncSettings.defaults().withWebhookGrace(Duration.ofMinutes(3)), // as README advises
        AppConfig.DEFAULT_SYNC_INTERVAL,
        AppConfig.ReconcileSettings.defaults(),
        new AppConfig.ClientSettings(Duration.ofSeconds(2), Duration.ofSeconds(10), 6),
        0);
  }

  /** 5xx now and then, a burst of 500s, a 20-minute outage, an index-lag incident. */
  private Schedule scheduleFaults(Simulator sim, LocalDate day, Duration indexLag) {
    Instant[] burst = {at(day, 9, 0), at(day, 9, 6)};
    Instant[] outage = {at(day, 14, 0), at(day, 14, 20)};
    sim.faults()
        .rate(Fault.HTTP_500, 0.01)
        .rate(Fault.HTTP_502, 0.005)
        .rate(Fault.GRAPHQL_INTERNAL_ERROR, 0.01)
        .rate(Fault.TRUNCATED_BODY, 0.005)
        .rate(Fault.HTTP_429, 0.005)
        .burst(burst[0], burst[1], Fault.HTTP_500)
        .outage(outage[0], outage[1]);
    Schedule s = new Schedule(indexLag);
    s.down(burst);
    s.down(outage);
    s.indexLag(at(day, 16, 0), Duration.ofMinutes(8));
    s.indexLag(at(day, 16, 12), Duration.ofSeconds(45));
    return s;
  }

  private Instant at(LocalDate day, int hour, int minute) {
    return day.atTime(LocalTime.of(hour, minute)).atZone(options.zone()).toInstant();
  }

  private DemoResult result(
      Simulator sim, App app, NaiveImporter naive, Schedule faults, long wallStart) {
    String shop = sim.shop().domain();
    Map<String, SimOrder> truth = new HashMap<>();
    for (SimOrder o : sim.shop().allOrders()) {
      truth.put(o.gid(), o);
    }
    Set<String> seen = new HashSet<>();
    int[] counts = new int[6]; // stored, duplicates, stale, sweep, reconcile, webhook
    double[] maxRecovery = {0};
    List<Double> sinceWritten = new ArrayList<>();
    List<Double> missedSinceWritten = new ArrayList<>();
    List<Double> sinceReadable = new ArrayList<>();
    app.orders()
        .documents()
        .export(
            row -> {
              String id = (String) row.get("id");
              if (!seen.add(id)) {
                counts[1]++;
                return;
              }
              SimOrder o = truth.get(id);
              if (o == null) {
                return;
              }
              counts[0]++;
              if (!Instant.parse((String) row.get("updatedAt")).equals(o.updatedAt())) {
                counts[2]++;
              }
              String first = (String) row.get("firstPath");
              double since =
                  Duration.between(
                              sim.shop().writtenAt(o.id()).orElse(o.createdAt()),
                              Instant.parse((String) row.get("firstStoredAt")))
                          .toSeconds()
                      / 60.0;
              sinceWritten.add(Math.max(0, since));
              Instant readable =
                  faults.readableAt(sim.shop().writtenAt(o.id()).orElse(o.createdAt()));
              sinceReadable.add(
                  faults
                          .answering(readable, Instant.parse((String) row.get("firstStoredAt")))
                          .toSeconds()
                      / 60.0);
              if (!first.equals("WEBHOOK")) {
                missedSinceWritten.add(Math.max(0, since));
              }
              if (first.equals("SWEEP") || first.equals("RECONCILE")) {
                counts[first.equals("SWEEP") ? 3 : 4]++;
                Instant written = sim.shop().writtenAt(o.id()).orElse(o.createdAt());
                double minutes =
                    Duration.between(written, Instant.parse((String) row.get("firstStoredAt")))
                            .toSeconds()
                        / 60.0;
                maxRecovery[0] = Math.max(maxRecovery[0], minutes);
              } else if (first.equals("WEBHOOK")) {
                counts[5]++;
              }
            });
    int lost = (int) truth.keySet().stream().filter(id -> !seen.contains(id)).count();
    Set<String> naiveIds = naive.imported();
    int naiveStored = (int) truth.keySet().stream().filter(naiveIds::contains).count();
    List<DemoResult.Day> days = new ArrayList<>();
    Map<LocalDate, int[]> byDay = new java.util.TreeMap<>();
    for (SimOrder o : truth.values()) {
      LocalDate d = LocalDate.ofInstant(o.createdAt(), options.zone());
      int[] c = byDay.computeIfAbsent(d, k -> new int[3]);
      c[0]++;
      if (seen.contains(o.gid())) {
        c[1]++;
      }
      if (naiveIds.contains(o.gid())) {
        c[2]++;
      }
    }
    byDay.forEach((d, c) -> days.add(new DemoResult.Day(d, c[0], c[1], c[2])));
    var meter = app.shops().apis().get(ShopDomain.of(shop)).client().meter();
    return new DemoResult(
        options.seed(),
        truth.size(),
        counts[0],
        lost,
        counts[1],
        counts[2],
        naiveStored,
        truth.size() - naiveStored,
        naive.failedWindows(),
        counts[3],
        counts[4],
        counts[5],
        maxRecovery[0],
        DemoResult.Recovery.of(sinceWritten, missedSinceWritten, sinceReadable),
        meter.cost(),
        meter.requests(),
        meter.throttled(),
        meter.retries(),
        sim.stats().outcomes(),
        ourQueries(sim.stats().costByOperation()),
        days,
        (System.nanoTime() - wallStart) / 1_000_000);
  }

  /** The points order-sync spent, by query (the naive importer's queries have no name). */
  private static Map<String, Long> ourQueries(Map<String, Long> byOperation) {
    Map<String, Long> ours = new java.util.TreeMap<>(byOperation);
    ours.remove("anonymous");
    return ours;
  }

  /**
   * Changes to the simulator that happen at set times (the index-lag incident), when Shopify could
   * first show an order (after its index lag), and when its API was down.
   */
  private static final class Schedule {
    private final Duration initialLag;
    private final List<Map.Entry<Instant, Duration>> lags = new ArrayList<>();
    private final Outages down = new Outages();
    private int applied;

    Schedule(Duration initialLag) {
      this.initialLag = initialLag;
    }

    void indexLag(Instant at, Duration lag) {
      lags.add(Map.entry(at, lag));
    }

    /** Shopify's API fails from {@code window[0]} to {@code window[1]}. */
    void down(Instant[] window) {
      down.add(window[0], window[1]);
    }

    void apply(Simulator sim, Instant now) {
      while (applied < lags.size() && !lags.get(applied).getKey().isAfter(now)) {
        sim.shop().setIndexLag(lags.get(applied++).getValue());
      }
    }

    /** How long Shopify's API answered between the two instants. */
    Duration answering(Instant from, Instant to) {
      return down.outside(from, to);
    }

    /** When an order written at {@code written} could first be read from Shopify. */
    Instant readableAt(Instant written) {
      Duration lag = initialLag;
      for (Map.Entry<Instant, Duration> e : lags) {
        if (!e.getKey().isAfter(written)) {
          lag = e.getValue();
        }
      }
      return written.plus(lag);
    }
  }
}
