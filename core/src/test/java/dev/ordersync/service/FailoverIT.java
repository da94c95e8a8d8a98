package dev.ordersync.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ordersync.App;
import dev.ordersync.AppOptions;
import dev.ordersync.config.AppConfig;
import dev.ordersync.config.ShopDomain;
import dev.ordersync.config.SyncSettings;
import dev.ordersync.simulator.Simulator;
import dev.ordersync.simulator.faults.Fault;
import dev.ordersync.simulator.traffic.TrafficGenerator;
import dev.ordersync.simulator.traffic.TrafficShape;
import dev.ordersync.status.Instances;
import dev.ordersync.sync.Checkpoints;
import dev.ordersync.sync.CrashPoints;
import dev.ordersync.sync.PassResult;
import dev.ordersync.sync.Window;
import dev.ordersync.testing.TestDatabases;
import dev.ordersync.time.ScaledClock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 16: two {@code run} processes on one PostgreSQL; the one in the middle of a shop's pass is
 * killed with SIGKILL; the other takes the shop over (db-scheduler's dead-execution detection) and
 * its pass starts again from the shop's watermark. Time runs 60 times faster than the wall clock in
 * the processes and the simulator alike, so heartbeats come every second (the least), and an
 * instance is dead after 4 missed ones (80 seconds in production, at 20-second beats).
 */
class FailoverIT {
  private static final double SCALE = 60;
  private static final int ORDERS = 1_000;
  private final List<Process> processes = new ArrayList<>();
  private Simulator sim;

  @TempDir Path dir;

  @AfterEach
  void stop() throws IOException {
    processes.forEach(Process::destroyForcibly);
    for (int i = 0; i < processes.size(); i++) { // what each said, should the test fail
      List<String> lines = Files.readAllLines(dir.resolve("err-" + i + ".log"));
      System.out.println("--- run " + i + ", the end of its standard error:");
      lines.subList(Math.max(0, lines.size() - 15), lines.size()).forEach(System.out::println);
    }
    if (sim != null) {
      sim.close();
    }
  }

  @Test
  void a_shop_of_an_instance_killed_mid_pass_is_taken_over_and_resumes_from_its_watermark()
      throws Exception {
    Clock wall = Clock.systemUTC();
    Instant origin = Instant.parse("2026-11-20T17:00:00Z");
    Instant anchor = wall.instant();
    ScaledClock clock = new ScaledClock(wall, origin, anchor, SCALE);
    sim = Simulator.builder().clock(clock).seed(16).start();
    sim.traffic()
        .plan(
            new TrafficGenerator(16, ZoneId.of("America/New_York"))
                .between(
                    origin.minus(Duration.ofHours(6)),
                    origin.minus(Duration.ofMinutes(10)),
                    ORDERS,
                    TrafficShape.even()));
    sim.catchUp();
    sim.faults().slowDelay(Duration.ofMillis(400)).rate(Fault.SLOW, 1.0); // passes of seconds

    String db = TestDatabases.fresh(TestDatabases.Kind.POSTGRES);
    Path cfg = dir.resolve("order-sync.yml");
    Files.writeString(
        cfg,
        """
        shops:
          - domain: %s
            token: %s
            apiUrl: %s
            timezone: America/New_York
        sync:
          interval: 1m
          initialLookback: 7h
          bulkThreshold: 0
        """
            .formatted(sim.shop().domain(), Simulator.DEFAULT_TOKEN, sim.endpoint()));
    for (int i = 0; i < 2; i++) {
      start(
          i,
          "run",
          "--config",
          cfg.toString(),
          "--db",
          db,
          "--port",
          "0",
          "--time-scale",
          String.valueOf(SCALE),
          "--time-origin",
          origin.toString(),
          "--time-anchor",
          anchor.toString());
    }

    try (App reader =
        App.open(AppConfig.empty(), db, new AppOptions(clock, d -> {}, CrashPoints.NONE, 1))) {
      String shop = sim.shop().domain();
      Instances.Instance holder =
          await()
              .atMost(60, TimeUnit.SECONDS)
              .pollInterval(100, TimeUnit.MILLISECONDS)
              .until(
                  () ->
                      reader
                              .sync()
                              .checkpoints()
                              .get(ShopDomain.of(shop), Checkpoints.ORDERS)
                              .isPresent()
                          ? syncHolder(reader)
                          : Optional.<Instances.Instance>empty(),
                  Optional::isPresent)
              .orElseThrow();
      Process killed =
          processes.stream()
              .filter(p -> holder.name().contains("#" + p.pid() + "#"))
              .findFirst()
              .orElseThrow();
      Instant watermark =
          reader
              .sync()
              .checkpoints()
              .get(ShopDomain.of(shop), Checkpoints.ORDERS)
              .orElseThrow()
              .watermark();
      int passesBefore = reader.sync().passLog().recent(ShopDomain.of(shop), 1_000).size();
      killed.destroyForcibly(); // SIGKILL in the middle of the pass
      assertThat(killed.waitFor(30, TimeUnit.SECONDS)).isTrue();
      Instant killedAt = wall.instant();

      PassResult takeover =
          await()
              .atMost(90, TimeUnit.SECONDS)
              .pollInterval(200, TimeUnit.MILLISECONDS)
              .until(
                  () -> {
                    List<PassResult> passes =
                        reader.sync().passLog().recent(ShopDomain.of(shop), 1_000);
                    return passes.size() > passesBefore
                        ? Optional.of(passes.get(passes.size() - passesBefore - 1))
                        : Optional.<PassResult>empty();
                  },
                  Optional::isPresent)
              .orElseThrow();
      Instant startedWall =
          anchor.plusNanos(
              (long) (Duration.between(origin, takeover.startedAt()).toNanos() / SCALE));
      System.out.printf(
          "FailoverIT: the other instance's pass started %d ms and ended %d ms (wall) after the "
              + "SIGKILL%n",
          Duration.between(killedAt, startedWall).toMillis(),
          Duration.between(killedAt, wall.instant()).toMillis());

      assertThat(takeover.ok()).as(String.valueOf(takeover.error())).isTrue();
      assertThat(takeover.windowStart())
          .as("resumes from the watermark the killed pass left, less the overlap")
          .isEqualTo(Window.floorToSecond(watermark.minus(SyncSettings.defaults().overlap())));
      assertThat(reader.orders().stored().countAll(shop)).isEqualTo(ORDERS);
      Process survivor = processes.stream().filter(p -> p != killed).findFirst().orElseThrow();
      assertThat(survivor.isAlive()).isTrue();
    }
  }

  /** The instance holding the shop's sync job right now, when one does. */
  private static Optional<Instances.Instance> syncHolder(App reader) {
    return reader.service().status().instances().stream()
        .filter(i -> i.running().stream().anyMatch(j -> j.task().equals("sync-shop")))
        .findFirst();
  }

  private void start(int i, String... args) throws IOException {
    List<String> cmd =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar",
                System.getProperty("order-sync.jar", "target/order-sync.jar")));
    cmd.addAll(List.of(args));
    processes.add(
        new ProcessBuilder(cmd)
            .directory(dir.toFile())
            .redirectOutput(dir.resolve("out-" + i + ".log").toFile())
            .redirectError(dir.resolve("err-" + i + ".log").toFile())
            .start());
  }
}
