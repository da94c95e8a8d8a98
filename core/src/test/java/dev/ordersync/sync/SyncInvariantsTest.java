package dev.ordersync.sync;

import static dev.ordersync.testing.StoreAssertions.assertNothingBelowWatermarkMissing;
import static dev.ordersync.testing.StoreAssertions.assertStoredExactly;
import static dev.ordersync.testing.StoreAssertions.exported;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ordersync.App;
import dev.ordersync.config.SyncSettings;
import dev.ordersync.simulator.store.OrderEvent;
import dev.ordersync.simulator.store.SimOrder;
import dev.ordersync.testing.Drafts;
import dev.ordersync.testing.Harness;
import dev.ordersync.testing.SimulatedCrash;
import dev.ordersync.testing.TestDatabases;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Invariants 1-3 over real HTTP against the simulator, on H2 and on PostgreSQL. */
class SyncInvariantsTest {
  private final Drafts drafts = new Drafts(3);

  @ParameterizedTest
  @EnumSource(TestDatabases.Kind.class)
  void an_order_at_the_exact_second_of_a_window_edge_is_stored_once(TestDatabases.Kind db) {
    SyncSettings noOverlap =
        new SyncSettings(
            Duration.ofSeconds(60), Duration.ZERO, Duration.ofHours(1), Duration.ofHours(1));
    try (Harness h = new Harness(db)) {
      h.withConfig(Harness.configFor(h.sim, noOverlap, Duration.ofSeconds(5), 6));
      Instant edge = Harness.START.minusSeconds(60); // the first pass's window end
      h.sim.shop().create(drafts.next(), edge.minusSeconds(1), edge.minusSeconds(1));
      SimOrder atEdge = h.sim.shop().create(drafts.next(), edge, edge);
      App app = h.app();

      PassResult first = app.sync().once(h.shop());
      assertThat(first.windowEnd()).isEqualTo(edge);
      assertThat(first.ordersSeen()).isEqualTo(1);

      h.advance(Duration.ofMinutes(5));
      PassResult second = app.sync().once(h.shop());
      assertThat(second.windowStart()).isEqualTo(edge); // contiguous: starts at the last end
      assertThat(second.ordersSeen()).isEqualTo(1);

      assertStoredExactly(app, h.sim, "edge");
      assertThat(exported(app))
          .filteredOn(r -> r.get("id").equals(atEdge.gid()))
          .extracting(r -> r.get("versionsStored"))
          .containsExactly(1);
    }
  }

  @Test
  void the_window_end_trails_now_by_the_settle_lag_so_late_indexed_orders_are_seen() {
    for (Duration settleLag : List.of(Duration.ZERO, Duration.ofSeconds(60))) {
      SyncSettings settings =
          new SyncSettings(settleLag, Duration.ZERO, Duration.ofHours(1), Duration.ofMinutes(10));
      try (Harness h = new Harness(TestDatabases.Kind.H2)) {
        h.withConfig(Harness.configFor(h.sim, settings, Duration.ofSeconds(5), 6));
        h.sim.shop().setIndexLag(Duration.ofSeconds(45));
        App app = h.app();
        for (int i = 0; i < 60; i++) {
          h.sim.shop().create(drafts.next());
          h.advance(Duration.ofSeconds(10));
          if (i % 3 == 0) {
            PassResult r = app.sync().once(h.shop());
            assertThat(r.windowEnd())
                .isEqualTo(Window.floorToSecond(h.clock.instant().minus(settleLag)));
          }
        }
        int stored = app.orders().stored().countAll(h.shop().value());
        if (settleLag.isZero()) {
          // the window ran ahead of Shopify's index: the poll alone lost orders
          assertThat(stored).isLessThan(60);
        } else {
          h.advance(Duration.ofMinutes(2));
          app.sync().once(h.shop());
          assertStoredExactly(app, h.sim, "settle lag 60s");
        }
      }
    }
  }

  /**
   * An update Shopify's search shows later than the settle lag slips past the poll; the sweep's
   * re-read finds it, listing versions only and fetching by id just the order that changed.
   */
  @ParameterizedTest
  @EnumSource(TestDatabases.Kind.class)
  void an_update_indexed_late_is_caught_by_the_re_read_which_fetches_only_it(
      TestDatabases.Kind db) {
    try (Harness h = new Harness(db)) {
      App app = h.app();
      List<SimOrder> orders = new java.util.ArrayList<>();
      for (int i = 0; i < 40; i++) {
        orders.add(h.sim.shop().create(drafts.next()));
        h.advance(Duration.ofSeconds(15));
      }
      h.advance(Duration.ofMinutes(2));
      app.sync().once(h.shop());
      assertStoredExactly(app, h.sim, "before the update");

      h.sim.shop().setIndexLag(Duration.ofMinutes(5)); // an index incident, past the settle lag
      SimOrder late = orders.get(3);
      h.sim
          .shop()
          .update(
              late.id(),
              v ->
                  v.withUpdate(
                      Window.floorToSecond(h.clock.instant()),
                      "PAID",
                      "FULFILLED",
                      "indexed late",
                      v.tags()),
              OrderEvent.Topic.ORDERS_UPDATED);
      h.advance(Duration.ofMinutes(3));
      app.sync().once(h.shop()); // the update is not searchable yet: the watermark passes it
      h.advance(Duration.ofMinutes(4));
      app.sync().once(h.shop()); // searchable now, but behind the watermark and its overlap
      assertThat(exported(app))
          .filteredOn(r -> r.get("id").equals(late.gid()))
          .extracting(r -> r.get("updatedAt"))
          .containsExactly(late.updatedAt().toString());

      // the re-read reads each instant once, when it is a sweep interval old
      h.advance(Duration.ofMinutes(12));
      app.sync().once(h.shop());
      long costBefore = app.shops().apis().get(h.shop()).client().meter().cost();
      app.reconcile().sweep().run();
      long sweepCost = app.shops().apis().get(h.shop()).client().meter().cost() - costBefore;
      assertStoredExactly(app, h.sim, "after the sweep");
      // 40 orders re-read in full would cost over 1,000 points; versions and one order by id
      // cost a small part of that
      assertThat(sweepCost).as("API cost of the sweep").isLessThan(250);
    }
  }

  @Test
  void a_backlog_is_read_in_bounded_sub_windows() {
    SyncSettings settings =
        new SyncSettings(
            Duration.ofSeconds(60), Duration.ZERO, Duration.ofHours(1), Duration.ofHours(30));
    try (Harness h = new Harness(TestDatabases.Kind.H2)) {
      h.withConfig(Harness.configFor(h.sim, settings, Duration.ofSeconds(5), 6));
      for (int i = 0; i < 30; i++) {
        Instant at = Harness.START.minus(Duration.ofHours(30)).plus(Duration.ofHours(i));
        h.sim.shop().create(drafts.next(), at, at);
      }
      App app = h.app();
      long before = h.sim.stats().requests();
      PassResult r = app.sync().once(h.shop());
      assertThat(r.ok()).isTrue();
      assertThat(r.pages()).isGreaterThanOrEqualTo(30); // one query per hour at least
      assertThat(h.sim.stats().requests() - before).isGreaterThanOrEqualTo(30);
      assertStoredExactly(app, h.sim, "backlog");
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabases.Kind.class)
  void a_crash_at_any_step_of_a_pass_loses_and_duplicates_nothing(TestDatabases.Kind db) {
    int crashed = 0;
    for (int k = 1; ; k++) {
      try (Harness h = new Harness(db)) {
        h.withConfig(
            Harness.configFor(
                h.sim,
                new SyncSettings(
                    Duration.ofSeconds(60),
                    Duration.ofSeconds(60),
                    Duration.ofMinutes(40),
                    Duration.ofHours(2)),
                Duration.ofSeconds(5),
                6));
        seedTwoHours(h);
        AtomicInteger steps = new AtomicInteger();
        int crashAt = k;
        String[] where = new String[1];
        App victim =
            h.app(
                step -> {
                  if (steps.incrementAndGet() == crashAt) {
                    where[0] = step.name();
                    throw new SimulatedCrash(step.name());
                  }
                });
        try {
          victim.sync().once(h.shop());
          assertThat(crashed).as("crashed at every step before the pass ended").isEqualTo(k - 1);
          assertStoredExactly(victim, h.sim, "no crash");
          return;
        } catch (SimulatedCrash expected) {
          crashed++;
        }
        String context = "crash at step " + k + " (" + where[0] + ")";
        victim.close();
        App restarted = h.app();
        assertNothingBelowWatermarkMissing(restarted, h.sim, h.shop().value(), context);
        h.advance(Duration.ofMinutes(1));
        assertThat(restarted.sync().once(h.shop()).ok()).isTrue();
        assertStoredExactly(restarted, h.sim, context);
        assertThat(exported(restarted))
            .as(context)
            .allSatisfy(
                r ->
                    assertThat(((Number) r.get("versionsStored")).intValue())
                        .isLessThanOrEqualTo(2));
      }
    }
  }

  private void seedTwoHours(Harness h) {
    Instant from = Harness.START.minus(Duration.ofMinutes(110));
    for (int i = 0; i < 40; i++) {
      Instant at = from.plusSeconds(i * 150L);
      SimOrder o = h.sim.shop().create(drafts.next(), at, at);
      if (i % 5 == 0) {
        h.sim
            .shop()
            .update(
                o.id(),
                v -> v.withUpdate(at.plusSeconds(600), "PAID", "FULFILLED", "updated", v.tags()),
                OrderEvent.Topic.ORDERS_UPDATED);
      }
    }
  }

  @Test
  void the_watermark_does_not_move_when_a_pass_fails() {
    try (Harness h = new Harness(TestDatabases.Kind.H2)) {
      seedTwoHours(h);
      App app = h.app();
      h.sim.faults().failNext(dev.ordersync.simulator.faults.Fault.HTTP_503, 100);
      PassResult failed = app.sync().once(h.shop());
      assertThat(failed.ok()).isFalse();
      assertThat(app.sync().checkpoints().get(h.shop(), Checkpoints.ORDERS))
          .hasValueSatisfying(
              cp -> {
                assertThat(cp.consecutiveFailures()).isEqualTo(1);
                assertThat(cp.watermark()).isEqualTo(failed.windowStart());
                assertThat(cp.lastError()).contains("HTTP 503");
              });
      h.sim.faults().clear();
      h.advance(Duration.ofMinutes(5));
      assertThat(app.sync().once(h.shop()).ok()).isTrue();
      assertStoredExactly(app, h.sim, "after recovery");
      assertThat(
              app.sync()
                  .checkpoints()
                  .get(h.shop(), Checkpoints.ORDERS)
                  .orElseThrow()
                  .consecutiveFailures())
          .isZero();
    }
  }
}
