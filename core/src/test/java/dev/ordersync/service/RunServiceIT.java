package dev.ordersync.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.ordersync.simulator.Simulator;
import dev.ordersync.simulator.cost.Plan;
import dev.ordersync.simulator.traffic.TrafficGenerator;
import dev.ordersync.simulator.traffic.TrafficShape;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 6: `order-sync run` started as a real process against a simulator on the real clock. */
class RunServiceIT {
  private static final String SECRET = "it-webhook-secret";
  private final HttpClient http = HttpClient.newHttpClient();
  private final List<Process> processes = new ArrayList<>();
  private Simulator sim;

  @TempDir Path dir;

  @BeforeEach
  void startSimulator() {
    sim = Simulator.builder().plan(Plan.PLUS).webhookSecret(SECRET).seed(5).start();
    Instant now = Clock.systemUTC().instant();
    sim.traffic()
        .plan(
            new TrafficGenerator(5, ZoneId.of("America/New_York"))
                .between(
                    now.minus(Duration.ofHours(6)),
                    now.minus(Duration.ofMinutes(5)),
                    150,
                    TrafficShape.even()));
    sim.catchUp();
  }

  @AfterEach
  void stop() {
    processes.forEach(Process::destroyForcibly);
    sim.close();
  }

  private Path config(String extra) throws IOException {
    Path cfg = dir.resolve("order-sync.yml");
    Files.writeString(
        cfg,
        """
        shops:
          - domain: sim-shop.myshopify.com
            token: shpat_simulator
            apiUrl: %s
            timezone: America/New_York
            webhookSecrets: ["%s"]
        sync:
          interval: 2s
        %s
        """
            .formatted(sim.endpoint(), SECRET, extra));
    return cfg;
  }

  private Process start(String... args) throws IOException {
    List<String> cmd =
        new ArrayList<>(
            List.of(
                javaBin(), "-jar", System.getProperty("order-sync.jar", "target/order-sync.jar")));
    cmd.addAll(List.of(args));
    Process p =
        new ProcessBuilder(cmd)
            .directory(dir.toFile())
            .redirectOutput(dir.resolve("out-" + processes.size() + ".log").toFile())
            .redirectError(dir.resolve("err-" + processes.size() + ".log").toFile())
            .start();
    processes.add(p);
    return p;
  }

  private static String javaBin() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  private String get(int port, String path) {
    try {
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                  .timeout(Duration.ofSeconds(5))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      return r.statusCode() + " " + r.body();
    } catch (IOException | InterruptedException e) {
      return "down";
    }
  }

  /** Orders stored by every path, from the metrics. */
  private static long stored(String metrics) {
    return metrics
        .lines()
        .filter(l -> l.startsWith("ordersync_orders_stored{"))
        .mapToLong(l -> (long) Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
        .sum();
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private String log(int i) throws IOException {
    return Files.readString(dir.resolve("err-" + i + ".log"));
  }

  @Test
  void the_service_syncs_serves_health_metrics_status_webhooks_and_stops_cleanly()
      throws Exception {
    int port = freePort();
    String db = "jdbc:h2:file:" + dir.resolve("data/db");
    Process run =
        start("run", "--config", config("").toString(), "--db", db, "--port", String.valueOf(port));
    await().atMost(60, TimeUnit.SECONDS).until(() -> get(port, "/healthz").equals("200 ok"));
    assertThat(get(port, "/readyz")).isEqualTo("200 ready");
    await().atMost(90, TimeUnit.SECONDS).until(() -> stored(get(port, "/metrics")) == 150);
    String metrics = get(port, "/metrics");
    assertThat(metrics)
        .contains("ordersync_sync_consecutive_failures{shop=\"sim-shop.myshopify" + ".com\"} 0.0")
        .contains("ordersync_api_cost_points_total")
        .contains("ordersync_webhooks_received");

    sim.webhooks().subscribe("ORDERS_CREATE", "http://127.0.0.1:" + port + "/webhooks/shopify");
    sim.shop()
        .create(new TrafficGenerator(6, ZoneId.of("America/New_York")).draft(TrafficShape.even()));
    sim.tick();
    await()
        .atMost(30, TimeUnit.SECONDS)
        .until(
            () ->
                get(port, "/metrics")
                    .contains(
                        "ordersync_orders_stored{path=\"WEBHOOK\",shop=\"sim-shop.myshopify.com\"} 1.0"));

    String page = get(port, "/");
    assertThat(page)
        .startsWith("200 ")
        .contains("<h2>sim-shop.myshopify.com</h2>")
        .contains("orders stored")
        .contains("151")
        .contains("Last passes");

    // an operator checks on the live system from another process
    Process report = start("orders", "export", "--format", "jsonl", "--db", db);
    assertThat(report.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(report.exitValue()).isZero();
    assertThat(Files.readAllLines(dir.resolve("out-1.log"))).hasSize(151);
    Process changes = start("orders", "changes", "--db", db);
    assertThat(changes.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(changes.exitValue()).isZero();
    assertThat(Files.readAllLines(dir.resolve("out-2.log"))).hasSize(151);

    run.destroy(); // SIGTERM
    assertThat(run.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(log(0)).contains("stopping");

    // a restart resumes from the stored watermark: the next window starts near the old one
    Process again =
        start("run", "--config", config("").toString(), "--db", db, "--port", String.valueOf(port));
    await().atMost(60, TimeUnit.SECONDS).until(() -> get(port, "/healthz").equals("200 ok"));
    await().atMost(60, TimeUnit.SECONDS).until(() -> get(port, "/").contains("Last passes"));
    Process export = start("orders", "export", "--format", "jsonl", "--db", db);
    assertThat(export.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(Files.readAllLines(dir.resolve("out-4.log"))).hasSize(151);
    again.destroy();
    assertThat(again.waitFor(60, TimeUnit.SECONDS)).isTrue();
  }

  /**
   * Issue 15: the push's position is the database's. A run killed while the receiver holds a batch
   * re-sends that batch after its restart, and no other.
   */
  @Test
  void a_run_killed_mid_push_resends_at_most_the_unacknowledged_batch() throws Exception {
    List<List<Long>> received = new CopyOnWriteArrayList<>();
    CountDownLatch holding = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger requests = new AtomicInteger();
    HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    receiver.setExecutor(Executors.newFixedThreadPool(2));
    ObjectMapper json = new ObjectMapper();
    receiver.createContext(
        "/oms",
        exchange -> {
          JsonNode batch = json.readTree(exchange.getRequestBody().readAllBytes());
          List<Long> seqs = new ArrayList<>();
          batch.get("changes").forEach(c -> seqs.add(c.get("seq").asLong()));
          received.add(seqs); // the receiver has it, whether order-sync learns so or not
          if (requests.incrementAndGet() == 3) {
            holding.countDown();
            try {
              release.await();
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          }
          exchange.sendResponseHeaders(200, -1);
          exchange.close();
        });
    receiver.start();
    try {
      String push =
          """
          feed:
            push:
              url: http://127.0.0.1:%d/oms
              secret: it-push-secret
              batchSize: 20
          """
              .formatted(receiver.getAddress().getPort());
      String db = "jdbc:h2:file:" + dir.resolve("data/db");
      int port = freePort();
      Process run =
          start("run", "--config", config(push).toString(), "--db", db, "--port", "" + port);
      assertThat(holding.await(90, TimeUnit.SECONDS)).as("the third batch arrives").isTrue();
      run.destroyForcibly(); // SIGKILL while the receiver holds the third batch
      assertThat(run.waitFor(30, TimeUnit.SECONDS)).isTrue();
      release.countDown();

      start("run", "--config", config(push).toString(), "--db", db, "--port", "" + port);
      await()
          .atMost(90, TimeUnit.SECONDS)
          .until(
              () -> received.stream().mapToLong(b -> b.get(b.size() - 1)).max().orElse(0) == 150);

      List<Long> third = received.get(2);
      assertThat(received.get(3)).as("the held batch, sent again").isEqualTo(third);
      List<Long> once = new ArrayList<>();
      for (int i = 0; i < received.size(); i++) {
        if (i != 3) {
          once.addAll(received.get(i));
        }
      }
      assertThat(once).isEqualTo(LongStream.rangeClosed(1, 150).boxed().toList());
    } finally {
      release.countDown();
      receiver.stop(0);
    }
  }

  @Test
  void a_port_in_use_and_a_bad_config_are_one_clear_message_each() throws Exception {
    try (ServerSocket taken = new ServerSocket(0)) {
      Process p =
          start(
              "run",
              "--config",
              config("").toString(),
              "--db",
              "jdbc:h2:file:" + dir.resolve("data/db"),
              "--port",
              String.valueOf(taken.getLocalPort()));
      assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(p.exitValue()).isEqualTo(2);
      assertThat(log(0))
          .contains("cannot listen on port " + taken.getLocalPort())
          .as("the clear line only: no server's ERROR before it")
          .doesNotContain("ERROR")
          .doesNotContain("utc_warning");
    }
    Process bad = start("run", "--config", config("sync:\n  interval: often").toString());
    assertThat(bad.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(bad.exitValue()).isEqualTo(2);
    assertThat(log(1)).contains("order-sync.yml");
    Process noDb =
        start("run", "--config", config("").toString(), "--db", "jdbc:h2:file:/proc/nope/db");
    assertThat(noDb.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(noDb.exitValue()).isEqualTo(3);
    assertThat(log(2)).contains("Cannot open the database");
  }

  /** Issue 11: Shopify unreachable at start is no reason not to serve webhooks. */
  @Test
  void the_service_starts_while_shopify_is_unreachable_and_stops_without_a_stack_trace()
      throws Exception {
    int port = freePort();
    int nobody = freePort(); // nothing listens there
    Path cfg = dir.resolve("down.yml");
    Files.writeString(
        cfg,
        """
        shops:
          - domain: sim-shop.myshopify.com
            token: shpat_simulator
            apiUrl: http://127.0.0.1:%d/admin/api/2026-10/graphql.json
            webhookSecrets: ["%s"]
        client:
          connectTimeout: 1s
          maxAttempts: 2
        """
            .formatted(nobody, SECRET));
    Process run =
        start(
            "run",
            "--config",
            cfg.toString(),
            "--db",
            "jdbc:h2:file:" + dir.resolve("data/db"),
            "--port",
            String.valueOf(port));
    await().atMost(60, TimeUnit.SECONDS).until(() -> get(port, "/healthz").equals("200 ok"));
    assertThat(get(port, "/readyz")).isEqualTo("200 ready");
    assertThat(log(0)).contains("Shopify does not answer yet").contains("starting anyway");
    run.destroy();
    assertThat(run.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(run.exitValue()).as("the JVM's exit on SIGTERM").isEqualTo(143);
    assertThat(log(0)).doesNotContain("already closed").doesNotContain("\tat ");
  }

  /**
   * Issue 26, item 1: SIGTERM while a pass waits on Shopify's rate limit, at several points of the
   * pass, on H2 and on PostgreSQL: the service stops within 10 seconds, with no stack trace, and
   * the next start loses none of what was fetched.
   */
  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.EnumSource(dev.ordersync.testing.TestDatabases.Kind.class)
  void sigterm_during_a_pass_stops_within_10_seconds_without_a_stack_trace(
      dev.ordersync.testing.TestDatabases.Kind kind) throws Exception {
    Simulator slow = Simulator.builder().plan(Plan.PLUS).seed(9).start();
    try {
      Instant now = Clock.systemUTC().instant();
      slow.traffic()
          .plan(
              new TrafficGenerator(9, ZoneId.of("America/New_York"))
                  .between(
                      now.minus(Duration.ofHours(20)),
                      now.minus(Duration.ofMinutes(5)),
                      1_500,
                      TrafficShape.even()));
      slow.catchUp();
      Path cfg = dir.resolve("slow.yml");
      Files.writeString(
          cfg,
          """
          shops:
            - domain: sim-shop.myshopify.com
              token: shpat_simulator
              apiUrl: %s
              timezone: America/New_York
          sync:
            interval: 2s
            bulkThreshold: 0
          """
              .formatted(slow.endpoint()));
      String db =
          kind == dev.ordersync.testing.TestDatabases.Kind.H2
              ? "jdbc:h2:file:" + dir.resolve("data/db")
              : dev.ordersync.testing.TestDatabases.fresh(kind);
      long[] storedAt = {1, 300, 700};
      int logs = processes.size();
      for (long atLeast : storedAt) {
        int port = freePort();
        Process run =
            start("run", "--config", cfg.toString(), "--db", db, "--port", String.valueOf(port));
        int log = logs++;
        try {
          await()
              .atMost(120, TimeUnit.SECONDS)
              .until(
                  () -> {
                    String m = get(port, "/metrics");
                    return m.contains("task=\"sync-shop\"} 1.0") && stored(m) >= atLeast;
                  });
        } catch (org.awaitility.core.ConditionTimeoutException e) {
          throw new AssertionError(
              "no pass running with "
                  + atLeast
                  + " stored: "
                  + get(port, "/metrics")
                      .lines()
                      .filter(
                          l ->
                              l.startsWith("ordersync_jobs_running")
                                  || l.startsWith("ordersync_orders_stored"))
                      .toList()
                  + "\n"
                  + log(log));
        }
        long sent = System.nanoTime();
        run.destroy(); // SIGTERM
        assertThat(run.waitFor(30, TimeUnit.SECONDS)).isTrue();
        long ms = (System.nanoTime() - sent) / 1_000_000;
        assertThat(ms)
            .as("stopped %d ms after SIGTERM (at %d stored)", ms, atLeast)
            .isLessThan(10_000);
        assertThat(log(log))
            .as("at %d stored", atLeast)
            .doesNotContain("\tat ")
            .doesNotContain("Exception")
            .contains("stopped in");
      }
      int port = freePort();
      start("run", "--config", cfg.toString(), "--db", db, "--port", String.valueOf(port));
      await().atMost(240, TimeUnit.SECONDS).until(() -> stored(get(port, "/metrics")) == 1_500);
    } finally {
      slow.close();
    }
  }

  /** Issue 11: errors at start are one line and exit 2, never a stack trace. */
  @Test
  void a_refused_token_and_a_port_out_of_range_are_one_line_and_exit_2() throws Exception {
    Path cfg = dir.resolve("bad-token.yml");
    Files.writeString(
        cfg,
        """
        shops:
          - domain: sim-shop.myshopify.com
            token: shpat_revoked_long_ago
            apiUrl: %s
            webhookSecrets: ["%s"]
        """
            .formatted(sim.endpoint(), SECRET));
    Process refused =
        start(
            "run",
            "--config",
            cfg.toString(),
            "--db",
            "jdbc:h2:file:" + dir.resolve("data/db"),
            "--port",
            String.valueOf(freePort()));
    assertThat(refused.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(refused.exitValue()).isEqualTo(2);
    assertThat(log(0))
        .contains("sim-shop.myshopify.com")
        .contains("refused")
        .doesNotContain("shpat_revoked_long_ago")
        .doesNotContain("\tat ");
    Process port =
        start(
            "run",
            "--config",
            config("").toString(),
            "--db",
            "jdbc:h2:file:" + dir.resolve("data/db"),
            "--port",
            "70000");
    assertThat(port.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(port.exitValue()).isEqualTo(2);
    assertThat(log(1)).contains("70000").doesNotContain("\tat ");
  }
}
