package dev.ordersync.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ordersync.simulator.Simulator;
import dev.ordersync.simulator.traffic.TrafficGenerator;
import dev.ordersync.simulator.traffic.TrafficShape;
import dev.ordersync.testing.CorruptingProxy;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command-line contract, run in-process against a simulator on the real clock. */
class CommandLineTest {
  private static Simulator sim;

  @TempDir Path dir;

  @BeforeAll
  static void start() {
    sim = Simulator.builder().seed(3).plan(dev.ordersync.simulator.cost.Plan.PLUS).start();
    Instant now = Clock.systemUTC().instant();
    sim.traffic()
        .plan(
            new TrafficGenerator(3, ZoneId.of("America/New_York"))
                .between(
                    now.minus(Duration.ofHours(20)),
                    now.minus(Duration.ofHours(1)),
                    120,
                    TrafficShape.even()));
    sim.catchUp();
  }

  @AfterAll
  static void stop() {
    sim.close();
  }

  record Run(int exit, String out, String err) {}

  private Run run(String... args) {
    PrintStream out = System.out;
    PrintStream err = System.err;
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    ByteArrayOutputStream e = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
      int code = Main.run(args);
      return new Run(code, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(out);
      System.setErr(err);
    }
  }

  private String db() {
    return "jdbc:h2:file:" + dir.resolve("db");
  }

  private String[] shop(String token, String... more) {
    String[] base = {
      "--db", db(), "--shop", sim.shop().domain(), "--token", token, "--api-url", sim.endpoint()
    };
    String[] all = new String[base.length + more.length];
    System.arraycopy(more, 0, all, 0, more.length);
    System.arraycopy(base, 0, all, more.length, base.length);
    return all;
  }

  @Test
  void sync_once_shows_its_progress_on_standard_error_unless_quiet() {
    Run sync = run(shop(Simulator.DEFAULT_TOKEN, "sync", "--once"));
    assertThat(sync.exit()).isZero();
    assertThat(sync.err())
        .contains(sim.shop().domain() + ": sync [")
        .contains("order(s) listed")
        .contains("API points")
        .contains("waiting for the rate limit");
    assertThat(sync.out()).isEmpty();

    String[] quiet = shop(Simulator.DEFAULT_TOKEN, "sync", "--once", "--quiet");
    quiet[java.util.Arrays.asList(quiet).indexOf("--db") + 1] = db() + "-quiet";
    Run q = run(quiet);
    assertThat(q.exit()).isZero();
    assertThat(q.err()).doesNotContain(": sync [").contains(": ok, window");
  }

  @Test
  void backfill_imports_a_window_through_a_bulk_operation_and_says_how() throws Exception {
    Instant now = Clock.systemUTC().instant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
    Run backfill =
        run(
            shop(
                Simulator.DEFAULT_TOKEN,
                "backfill",
                "--from",
                now.minus(Duration.ofDays(1)).toString(),
                "--to",
                now.toString(),
                "--json"));
    assertThat(backfill.exit()).as(backfill.err()).isZero();
    JsonNode r = new ObjectMapper().readTree(backfill.out().lines().findFirst().orElseThrow());
    assertThat(r.path("status").asText()).isEqualTo("OK");
    assertThat(r.path("method").asText()).isEqualTo("bulk");
    assertThat(r.path("orders").asInt()).isEqualTo(120);
    assertThat(r.path("written").asInt()).isEqualTo(120);
    assertThat(r.path("apiCost").asInt()).isLessThan(60);
    assertThat(run("orders", "export", "--format", "jsonl", "--db", db()).out().lines())
        .hasSize(120);

    Run bad = run(shop(Simulator.DEFAULT_TOKEN, "backfill", "--from", "yesterday", "--to", "x"));
    assertThat(bad.exit()).isEqualTo(2);
    assertThat(bad.err().strip()).doesNotContain("Exception").contains("--from yesterday");
  }

  @Test
  void sync_export_reconcile_and_report_work_together() throws Exception {
    assertThat(run(shop(Simulator.DEFAULT_TOKEN, "sync", "--once")).exit()).isZero();
    Run export = run("orders", "export", "--format", "jsonl", "--db", db());
    assertThat(export.exit()).isZero();
    assertThat(export.out().lines())
        .hasSize(120)
        .allSatisfy(
            l ->
                assertThat(l)
                    .contains("\"shop\":\"sim-shop.myshopify.com\"")
                    .contains("\"id\":\"gid://shopify/Order/")
                    .contains("\"createdAt\"")
                    .contains("\"updatedAt\"")
                    .contains("\"name\":\"#"));
    Run reconcile = run(shop(Simulator.DEFAULT_TOKEN, "reconcile", "--json"));
    assertThat(reconcile.exit()).isZero();
    assertThat(reconcile.err()).contains(sim.shop().domain() + ": reconciled ");
    assertThat(reconcile.out().lines())
        .hasSizeGreaterThanOrEqualTo(2)
        .allSatisfy(
            l ->
                assertThat(l)
                    .contains("\"shopifyCount\"")
                    .contains("\"omsCountBefore\"")
                    .contains("\"omsCountAfter\"")
                    .contains("\"missing\"")
                    .contains("\"stillMissing\"")
                    .contains("\"status\"")
                    .contains("\"apiCost\"")
                    .contains("\"durationMs\""));
    Run report = run("report", "--db", db());
    assertThat(report.exit()).isZero();
    assertThat(report.out()).contains("SHOPIFY").contains("OMS BEFORE").contains("OK");
    assertThat(report.err().lines().findFirst().orElseThrow())
        .as("the first line on standard error names the database opened")
        .isEqualTo("order-sync: database " + db());
    Run csv = run("report", "--csv", "--db", db());
    assertThat(csv.out().lines().findFirst().orElseThrow()).startsWith("shop,kind,localDate");
  }

  @Test
  void a_bad_token_fails_with_a_message_naming_the_shop_and_not_the_token() {
    Run r = run(shop("shpat_wrong_secret", "sync", "--once"));
    assertThat(r.exit()).as("refused credentials: a configuration error").isEqualTo(Main.USAGE);
    assertThat(r.err())
        .contains(sim.shop().domain())
        .contains("refused the access token")
        .doesNotContain("shpat_wrong_secret");
  }

  /**
   * Issue 26, item 5: a command that only reads the store, run where there is no database, says so
   * (exit 2) instead of creating an empty one and reporting nothing; and it needs no Shopify
   * credentials.
   */
  @Test
  void a_read_only_command_never_creates_a_database_and_needs_no_shopify_secret() throws Exception {
    java.nio.file.Path empty = dir.resolve("elsewhere");
    java.nio.file.Files.createDirectories(empty);
    String missing = "jdbc:h2:file:" + empty.resolve("db");
    for (String[] command :
        List.of(
            new String[] {"report"},
            new String[] {"orders", "export", "--format", "jsonl"},
            new String[] {"orders", "failed"},
            new String[] {"shops", "list"})) {
      List<String> args = new ArrayList<>(List.of(command));
      args.addAll(List.of("--db", missing));
      Run r = run(args.toArray(String[]::new));
      assertThat(r.exit()).as(String.join(" ", command)).isEqualTo(Main.USAGE);
      assertThat(r.err()).contains("no order-sync database at").contains("--db or --config");
    }
    try (var files = java.nio.file.Files.list(empty)) {
      assertThat(files).as("nothing created").isEmpty();
    }
    // a shop named on the command line without any credentials: the store is read all the same
    assertThat(run(shop("shpat_simulator", "sync", "--once")).exit()).isZero();
    Run export =
        run(
            "orders",
            "export",
            "--db",
            db(),
            "--shop",
            sim.shop().domain(),
            "--api-url",
            sim.endpoint());
    assertThat(export.exit()).as(export.err()).isZero();
    assertThat(export.out()).isNotEmpty();

    // issue 26, item 7: one order's story
    String gid =
        new ObjectMapper()
            .readTree(export.out().lines().findFirst().orElseThrow())
            .get("id")
            .asText();
    Run show = run("orders", "show", gid, "--json", "--db", db());
    assertThat(show.exit()).as(show.err()).isZero();
    JsonNode story = new ObjectMapper().readTree(show.out());
    assertThat(story.get("stored").get("firstPath").asText()).isEqualTo("POLL");
    assertThat(story.get("versions").get(0).get("kind").asText()).isEqualTo("CREATED");
    assertThat(story.get("versions").get(0).has("storedAt")).isTrue();
    Run none = run("orders", "show", "gid://shopify/Order/1", "--db", db());
    assertThat(none.exit()).isEqualTo(Main.FAILED);
    assertThat(none.err()).contains("no trace of gid://shopify/Order/1");
  }

  @Test
  void an_unreachable_database_is_one_clear_message() {
    Run r = run("report", "--db", "jdbc:postgresql://127.0.0.1:1/oms?user=x&password=hunter2");
    assertThat(r.exit()).isEqualTo(Main.DATABASE);
    assertThat(r.err())
        .contains("Cannot open the database")
        .contains("Check that PostgreSQL")
        .doesNotContain("hunter2");
  }

  @Test
  void sync_once_shows_its_retries_while_it_waits_them_out() {
    sim.faults().failNext(dev.ordersync.simulator.faults.Fault.HTTP_503, 3);
    Run r = run(shop(Simulator.DEFAULT_TOKEN, "sync", "--once"));
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.err()).contains(sim.shop().domain() + ": retrying (").contains("HTTP 503");
  }

  @Test
  void doctor_goes_on_to_check_shopify_when_the_database_does_not_answer() {
    String[] args = shop(Simulator.DEFAULT_TOKEN, "doctor");
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--db")) {
        args[i + 1] = "jdbc:postgresql://127.0.0.1:1/oms?user=x&password=hunter2";
      }
    }
    Run r = run(args);
    assertThat(r.exit()).as(r.out() + r.err()).isEqualTo(Main.DATABASE);
    assertThat(r.out())
        .contains("FAIL database")
        .contains("ok   credentials    " + sim.shop().domain())
        .doesNotContain("hunter2");
  }

  @Test
  void an_unreachable_shopify_is_named_by_its_address() {
    String api = "http://127.0.0.1:1/admin/api/2026-10/graphql.json";
    Run r =
        run(
            "doctor",
            "--db",
            db(),
            "--shop",
            "nowhere.myshopify.com",
            "--token",
            "shpat_secret1",
            "--api-url",
            api);
    assertThat(r.exit()).isEqualTo(Main.FAILED);
    assertThat(r.out()).contains("cannot reach " + api).doesNotContain("shpat_secret1");
  }

  @Test
  void bad_windows_and_unknown_shops_are_usage_errors() {
    assertThat(run(shop(Simulator.DEFAULT_TOKEN, "reconcile", "--date", "26/11/2026")))
        .satisfies(
            r -> {
              assertThat(r.exit()).isEqualTo(Main.USAGE);
              assertThat(r.err()).contains("is not a date");
            });
    assertThat(
            run(shop(
                    Simulator.DEFAULT_TOKEN,
                    "reconcile",
                    "--from",
                    "2026-11-26T10:00:00Z",
                    "--to",
                    "2026-11-26T09:00:00Z"))
                .err())
        .contains("must be before --to");
    assertThat(run(shop(Simulator.DEFAULT_TOKEN, "reconcile", "--date", "2099-01-01")))
        .satisfies(
            r -> {
              assertThat(r.exit()).isEqualTo(Main.USAGE);
              assertThat(r.err()).contains("lies in the future");
            });
    assertThat(run("reconcile", "--db", db(), "--shop", "nope", "--token", "t").err())
        .contains("is not a shop domain");
    assertThat(run("sync", "--once", "--db", db()).err()).contains("no shop to work on");
    assertThat(run("sync", "--db", db()).err()).contains("order-sync run");
  }

  @Test
  void every_command_and_subcommand_answers_help() {
    List<List<String>> paths = new ArrayList<>();
    collect(new picocli.CommandLine(new Main()), new ArrayList<>(), paths);
    assertThat(paths)
        .extracting(p -> String.join(" ", p))
        .contains("orders failed", "orders retry", "webhooks register", "run");
    for (List<String> path : paths) {
      List<String> args = new ArrayList<>(path);
      args.add("--help");
      Run r = run(args.toArray(String[]::new));
      assertThat(r.exit()).as(String.join(" ", args)).isZero();
      assertThat(r.out()).as(String.join(" ", args)).contains("Usage:");
    }
  }

  private static void collect(picocli.CommandLine cmd, List<String> path, List<List<String>> out) {
    for (Map.Entry<String, picocli.CommandLine> sub : cmd.getSubcommands().entrySet()) {
      List<String> p = new ArrayList<>(path);
      p.add(sub.getKey());
      out.add(p);
      collect(sub.getValue(), p, out);
    }
  }

  @Test
  void failed_orders_are_listed_and_retried_from_the_command_line() throws Exception {
    try (CorruptingProxy proxy = new CorruptingProxy(sim.endpoint())) {
      String gid = sim.shop().allOrders().get(7).gid();
      proxy.damage(gid, o -> o.remove("createdAt"));
      String[] viaProxy = {
        "--db",
        db(),
        "--shop",
        sim.shop().domain(),
        "--token",
        Simulator.DEFAULT_TOKEN,
        "--api-url",
        proxy.endpoint()
      };
      assertThat(run(concat(new String[] {"sync", "--once"}, viaProxy)).exit()).isZero();

      Run failed = run("orders", "failed", "--json", "--db", db());
      assertThat(failed.exit()).isZero();
      JsonNode row = new ObjectMapper().readTree(failed.out().lines().findFirst().orElseThrow());
      assertThat(row.get("shop").asText()).isEqualTo(sim.shop().domain());
      assertThat(row.get("id").asText()).isEqualTo(gid);
      assertThat(row.get("name").asText()).startsWith("#");
      assertThat(row.get("path").asText()).isEqualTo("POLL");
      assertThat(row.get("error").asText()).contains("createdAt is missing");
      assertThat(row.get("attempts").asInt()).isEqualTo(1);
      for (String key : List.of("firstFailedAt", "lastFailedAt", "nextRetryAt")) {
        assertThat(row.get(key).asText()).as(key).endsWith("Z");
      }

      Run stillBad = run(concat(new String[] {"orders", "retry", "--all"}, viaProxy));
      assertThat(stillBad.exit()).isEqualTo(Main.FAILED);
      assertThat(stillBad.out()).contains(gid + ": FAILED");
      assertThat(stillBad.err())
          .contains(sim.shop().domain() + ": retry: 1 of 1 order(s), 0 stored, 1 not stored")
          .contains("API points");
      proxy.heal();
      Run retried = run(concat(new String[] {"orders", "retry", gid, "--quiet"}, viaProxy));
      assertThat(retried.exit()).isZero();
      assertThat(retried.err()).doesNotContain(": retry:");
      assertThat(retried.out()).contains(gid + ": stored");
      assertThat(run("orders", "failed", "--json", "--db", db()).out()).isEmpty();

      Run missing = run(concat(new String[] {"orders", "retry", "424242"}, viaProxy));
      assertThat(missing.exit()).isEqualTo(Main.FAILED);
      assertThat(missing.out()).contains("gid://shopify/Order/424242: NOT FOUND");
      assertThat(run(concat(new String[] {"orders", "retry"}, viaProxy)).exit())
          .isEqualTo(Main.USAGE);
    }
  }

  private static String[] concat(String[] a, String[] b) {
    String[] all = new String[a.length + b.length];
    System.arraycopy(a, 0, all, 0, a.length);
    System.arraycopy(b, 0, all, a.length, b.length);
    return all;
  }
}
