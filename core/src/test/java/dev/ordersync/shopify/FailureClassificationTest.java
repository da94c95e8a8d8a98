package dev.ordersync.shopify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ordersync.App;
import dev.ordersync.config.SyncSettings;
import dev.ordersync.simulator.Simulator;
import dev.ordersync.simulator.cost.Plan;
import dev.ordersync.simulator.faults.Fault;
import dev.ordersync.sync.PassResult;
import dev.ordersync.testing.Drafts;
import dev.ordersync.testing.Harness;
import dev.ordersync.testing.TestDatabases;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Invariant 5: every failure is classified, and each class is handled as it should be. */
class FailureClassificationTest {
  private final Drafts drafts = new Drafts(11);

  private void seed(Harness h, int n) {
    for (int i = 0; i < n; i++) {
      Instant at = Harness.START.minus(Duration.ofMinutes(120)).plusSeconds(i * 60L);
      h.sim.shop().create(drafts.next(), at, at);
    }
  }

  @ParameterizedTest
  @EnumSource(
      value = Fault.class,
      names = {
        "HTTP_500",
        "HTTP_502",
        "HTTP_503",
        "HTTP_504",
        "GRAPHQL_INTERNAL_ERROR",
        "TRUNCATED_BODY"
      })
  void transient_failures_are_retried_with_backoff(Fault fault) {
    try (Harness h = new Harness(TestDatabases.Kind.H2)) {
      seed(h, 20);
      App app = h.app();
      h.sim.faults().failNext(fault, 3);
      Instant before = h.clock.instant();
      PassResult r = app.sync().once(h.shop());
      assertThat(r.ok()).as("%s", r.error()).isTrue();
      assertThat(app.shops().apis().get(h.shop()).client().meter().retries()).isEqualTo(3);
      // three backoffs of at least half of 0.5 s, 1 s, 2 s went by on the virtual clock
      assertThat(Duration.between(before, h.clock.instant()))
          .isGreaterThanOrEqualTo(Duration.ofMillis(1750));
      assertThat(app.orders().stored().countAll(h.shop().value())).isEqualTo(20);
    }
  }

  @Test
  void a_slow_answer_past_the_timeout_is_transient() {
    try (Harness h = new Harness(TestDatabases.Kind.H2)) {
      h.withConfig(Harness.configFor(h.sim, SyncSettings.defaults(), Duration.ofMillis(200), 6));
      seed(h, 5);
      h.sim.faults().slowDelay(Duration.ofMillis(600)).failNext(Fault.SLOW, 1);
      App app = h.app();
      PassResult r = app.sync().once(h.shop());
      assertThat(r.ok()).isTrue();
      assertThat(app.shops().apis().get(h.shop()).client().meter().retries()).isEqualTo(1);
    }
  }

  @Test
  void http_429_waits_as_retry_after_says() {
    try (Harness h = new Harness(TestDatabases.Kind.H2)) {
      seed(h, 5);
      h.sim.faults().retryAfterSeconds(7).failNext(Fault.HTTP_429, 1);
      App app = h.app();
      Instant before = h.clock.instant();
      assertThat(app.sync().once(h.shop()).ok()).isTrue();
      assertThat(Duration.between(before, h.clock.instant()))
          .isGreaterThanOrEqualTo(Duration.ofSeconds(7));
      assertThat(app.shops().apis().get(h.shop()).client().meter().throttled()).isEqualTo(1);
      assertThat(app.shops().apis().get(h.shop()).client().meter().retries()).isZero();
    }
  }

  @Test
  void throttled_waits_for_the_bucket_to_refill_as_throttle_status_says() {
    try (Harness h = new Harness(TestDatabases.Kind.H2, b -> b.plan(Plan.STANDARD))) {
      seed(h, 100);
      h.sim.bucket().drain();
      App app = h.app();
      Instant before = h.clock.instant();
      assertThat(app.sync().once(h.shop()).ok()).isTrue();
      assertThat(app.shops().apis().get(h.shop()).client().meter().throttled()).isEqualTo(1);
      assertThat(h.sim.stats().outcome("THROTTLED")).isEqualTo(1);
      // the first query asked for ~500 points of an empty bucket refilling at 100/s
      assertThat(Duration.between(before, h.clock.instant()))
          .isGreaterThanOrEqualTo(Duration.ofSeconds(4));
      assertThat(app.orders().stored().countAll(h.shop().value())).isEqualTo(100);
    }
  }

  @Test
  void the_client_paces_itself_and_is_not_throttled_again_while_importing_a_busy_day() {
    try (Harness h = new Harness(TestDatabases.Kind.H2, b -> b.plan(Plan.STANDARD))) {
      seed(h, 110);
      for (int i = 0; i < 600; i++) {
        Instant at = Harness.START.minus(Duration.ofMinutes(600)).plusSeconds(i * 10L);
        h.sim.shop().create(drafts.next(), at, at);
      }
      App app = h.app();
      assertThat(app.sync().once(h.shop()).ok()).isTrue();
      assertThat(h.sim.stats().outcome("THROTTLED")).isZero();
      assertThat(app.orders().stored().countAll(h.shop().value())).isEqualTo(710);
    }
  }

  @Test
  void a_bad_token_is_permanent_not_retried_and_names_the_shop() {
    try (Harness h = new Harness(TestDatabases.Kind.H2, b -> b.token("shpat_other"))) {
      App app = h.app();
      PassResult r = app.sync().once(h.shop());
      assertThat(r.ok()).isFalse();
      assertThat(r.error())
          .startsWith(h.shop().value())
          .contains("HTTP 401")
          .doesNotContain(Simulator.DEFAULT_TOKEN);
      assertThat(h.sim.stats().requests()).isEqualTo(1);
    }
  }

  @Test
  void exhausted_retries_surface_as_transient_and_leave_the_watermark() {
    try (Harness h = new Harness(TestDatabases.Kind.H2)) {
      seed(h, 5);
      h.sim.faults().failNext(Fault.HTTP_500, 100);
      App app = h.app();
      PassResult r = app.sync().once(h.shop());
      assertThat(r.ok()).isFalse();
      assertThat(r.error()).contains("gave up after 6 attempts");
      assertThat(h.sim.stats().requests()).isEqualTo(6);
      assertThat(app.orders().stored().countAll(h.shop().value())).isZero();
    }
  }

  @Test
  void a_query_shopify_rejects_is_permanent() {
    try (Harness h = new Harness(TestDatabases.Kind.H2)) {
      ShopifyClient client = h.app().shops().apis().get(h.shop()).client();
      assertThatThrownBy(
              () -> client.query("{ orders(first: 5) { nodes { nosuchfield } } }", null, 0))
          .isInstanceOfSatisfying(
              ShopifyException.class,
              e -> assertThat(e.kind()).isEqualTo(ShopifyException.Kind.PERMANENT))
          .hasMessageContaining("nosuchfield");
      assertThatThrownBy(
              () ->
                  client.query(
                      "{ orders(first: 250) { nodes { id lineItems("
                          + "first: 250) { nodes { id } } } } }",
                      null,
                      0))
          .isInstanceOfSatisfying(
              ShopifyException.class,
              e -> assertThat(e.kind()).isEqualTo(ShopifyException.Kind.PERMANENT))
          .hasMessageContaining("MAX_COST_EXCEEDED");
    }
  }

  @Test
  void pages_are_sized_so_no_query_asks_for_more_than_the_single_query_limit() {
    try (Harness h = new Harness(TestDatabases.Kind.H2)) {
      h.withConfig(
          Harness.configFor(
              h.sim,
              new SyncSettings(
                  Duration.ofSeconds(60),
                  Duration.ZERO,
                  Duration.ofHours(1),
                  Duration.ofMinutes(59)),
              Duration.ofSeconds(5),
              6));
      for (int i = 0; i < 100; i++) {
        Instant at = Harness.START.minus(Duration.ofMinutes(55)).plusSeconds(i * 30L);
        h.sim.shop().create(drafts.next(), at, at);
      }
      App app = h.app();
      assertThat(app.sync().once(h.shop()).ok()).isTrue();
      assertThat(h.sim.stats().outcome("MAX_COST_EXCEEDED")).isZero();
      assertThat(h.sim.stats().requests()).isLessThan(15); // not one order per request either
    }
  }
}
