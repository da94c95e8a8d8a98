package dev.ordersync.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ordersync.simulator.Simulator;
import dev.ordersync.testing.Drafts;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13: setting a shop up, through the command line: {@code doctor}, {@code webhooks register},
 * API versions Shopify no longer serves, and windows older than the app may see.
 */
class ShopSetupCommandLineTest {
  private static final String HOOKS = "https://oms.example.com/webhooks/shopify";
  private final List<Simulator> sims = new ArrayList<>();

  @TempDir Path dir;

  @AfterEach
  void stop() {
    sims.forEach(Simulator::close);
  }

  private Simulator sim(UnaryOperator<Simulator.Builder> how) {
    Simulator sim = how.apply(Simulator.builder().seed(11)).start();
    sims.add(sim);
    Drafts drafts = new Drafts(11);
    for (int i = 0; i < 3; i++) {
      sim.shop()
          .create(
              drafts.next(),
              sim.clock().instant().minus(Duration.ofHours(3)),
              sim.clock().instant().minus(Duration.ofHours(3)));
    }
    return sim;
  }

  record Run(int exit, String out, String err) {}

  private Run run(Simulator sim, String apiUrl, String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(
        List.of(
            "--db",
            "jdbc:h2:file:" + dir.resolve("db"),
            "--shop",
            sim.shop().domain(),
            "--token",
            Simulator.DEFAULT_TOKEN,
            "--api-url",
            apiUrl));
    PrintStream out = System.out;
    PrintStream err = System.err;
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    ByteArrayOutputStream e = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
      return new Run(
          Main.run(all.toArray(String[]::new)),
          o.toString(StandardCharsets.UTF_8),
          e.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(out);
      System.setErr(err);
    }
  }

  @Test
  void register_takes_https_pubsub_and_eventbridge_refuses_the_rest_and_is_idempotent() {
    Simulator sim = sim(b -> b);
    assertThat(run(sim, sim.endpoint(), "webhooks", "register", "--address", HOOKS).exit())
        .isZero();
    assertThat(sim.webhooks().subscriptions()).hasSize(4);
    Run again = run(sim, sim.endpoint(), "webhooks", "register", "--address", HOOKS);
    assertThat(again.exit()).isZero();
    assertThat(again.err()).contains("already subscribed");
    assertThat(sim.webhooks().subscriptions()).as("nothing new the second time").hasSize(4);
    assertThat(
            run(
                    sim,
                    sim.endpoint(),
                    "webhooks",
                    "register",
                    "--address",
                    "pubsub://oms-project:shopify-orders")
                .exit())
        .isZero();
    assertThat(
            run(
                    sim,
                    sim.endpoint(),
                    "webhooks",
                    "register",
                    "--address",
                    "arn:aws:events:us-east-1::event-source/aws.partner/shopify.com/123/orders")
                .exit())
        .isZero();
    assertThat(sim.webhooks().subscriptions()).hasSize(12);
    Run http =
        run(
            sim,
            sim.endpoint(),
            "webhooks",
            "register",
            "--address",
            "http://oms.example.com/webhooks/shopify");
    assertThat(http.exit()).isEqualTo(Main.USAGE);
    assertThat(http.err()).contains("must be an https:// URL");
  }

  @Test
  void doctor_passes_every_check_of_a_shop_set_up_right() throws Exception {
    Simulator sim = sim(b -> b);
    run(sim, sim.endpoint(), "webhooks", "register", "--address", HOOKS);
    Run doctor = run(sim, sim.endpoint(), "doctor", "--json", "--address", HOOKS);
    assertThat(doctor.exit()).as(doctor.out()).isZero();
    List<String> checks = new ArrayList<>();
    for (String line : doctor.out().lines().toList()) {
      JsonNode c = new ObjectMapper().readTree(line);
      assertThat(c.get("ok").asBoolean()).as(line).isTrue();
      checks.add(c.get("check").asText());
    }
    assertThat(checks)
        .contains(
            "database",
            "credentials",
            "identity",
            "scopes",
            "api-version",
            "customer-data",
            "webhooks",
            "clock");
  }

  @Test
  void doctor_says_what_is_wrong_one_line_each_and_exits_1() {
    Simulator sim = sim(b -> b.oldestVersion("2026-10"));
    String oldVersion = sim.baseUrl() + "/admin/api/2025-01/graphql.json";
    Run doctor = run(sim, oldVersion, "doctor");
    assertThat(doctor.exit()).isEqualTo(Main.FAILED);
    assertThat(doctor.out())
        .contains("FAIL api-version")
        .contains("asked for 2025-01")
        .contains("answered with 2026-10")
        .contains("FAIL webhooks")
        .contains("webhooks register");
    Run refused = new ShopSetupCommandLineTest.Runner(this).withToken(sim, "shpat_wrong");
    assertThat(refused.out()).contains("FAIL credentials");
  }

  /** Issue 26, item 4: with apiUrl set, a wrong domain must not pass. */
  @Test
  void doctor_fails_a_domain_the_api_does_not_answer_as() {
    Simulator sim = sim(b -> b);
    List<String> args =
        List.of(
            "doctor",
            "--db",
            "jdbc:h2:file:" + dir.resolve("db"),
            "--shop",
            "another-store.myshopify.com",
            "--token",
            Simulator.DEFAULT_TOKEN,
            "--api-url",
            sim.endpoint());
    PrintStream out = System.out;
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    int exit;
    try {
      System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
      exit = Main.run(args.toArray(String[]::new));
    } finally {
      System.setOut(out);
    }
    assertThat(exit).isEqualTo(Main.FAILED);
    assertThat(o.toString(StandardCharsets.UTF_8))
        .contains("FAIL identity")
        .contains("answers as " + sim.shop().domain() + ", not as another-store.myshopify.com");
  }

  @Test
  void a_version_no_longer_served_is_noticed_and_said() {
    Simulator sim = sim(b -> b.oldestVersion("2026-10"));
    Run sync = run(sim, sim.baseUrl() + "/admin/api/2025-01/graphql.json", "sync", "--once");
    assertThat(sync.exit()).isZero();
    assertThat(sync.err())
        .contains("asked for Admin API version 2025-01 but Shopify answered " + "with 2026-10");
  }

  @Test
  void a_window_older_than_60_days_needs_read_all_orders() {
    Simulator sim = sim(b -> b.scopes(List.of("read_orders", "write_webhooks")));
    Run old =
        run(
            sim,
            sim.endpoint(),
            "reconcile",
            "--from",
            "2026-01-01T00:00:00Z",
            "--to",
            "2026-01-02T00:00:00Z");
    assertThat(old.exit()).isNotZero();
    assertThat(old.err()).contains("needs the read_all_orders scope").doesNotContain("\tat ");
    assertThat(run(sim, sim.endpoint(), "reconcile").exit())
        .as("the last 2 days are fine")
        .isZero();
  }

  /** A run with another token. */
  private record Runner(ShopSetupCommandLineTest test) {
    Run withToken(Simulator sim, String token) {
      List<String> all =
          List.of(
              "doctor",
              "--db",
              "jdbc:h2:file:" + test.dir.resolve("db2"),
              "--shop",
              sim.shop().domain(),
              "--token",
              token,
              "--api-url",
              sim.endpoint());
      PrintStream out = System.out;
      ByteArrayOutputStream o = new ByteArrayOutputStream();
      try {
        System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
        return new Run(
            Main.run(all.toArray(String[]::new)), o.toString(StandardCharsets.UTF_8), "");
      } finally {
        System.setOut(out);
      }
    }
  }
}
