package dev.ordersync.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ordersync.App;
import dev.ordersync.config.AppConfig;
import dev.ordersync.config.SyncSettings;
import dev.ordersync.simulator.store.OrderEvent;
import dev.ordersync.simulator.store.SimOrder;
import dev.ordersync.sync.Window;
import dev.ordersync.testing.Drafts;
import dev.ordersync.testing.Harness;
import dev.ordersync.testing.TestDatabases;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The re-read (docs/invariants.md): every instant of updates is read again once, {@link
 * Sweep#REREAD_AFTER} after it, so an update that Shopify's search shows up to that late is stored,
 * while each order version is listed by the poll once and by the re-read once more. No webhooks
 * here: the poll and the re-read are the only paths.
 */
class RereadTest {
  private static final Duration PASS_EVERY = Duration.ofMinutes(5);
  private static final Duration SWEEP_EVERY = Duration.ofMinutes(5);

  private final Drafts drafts = new Drafts(23);

  @ParameterizedTest(name = "indexed {0} minutes late")
  @ValueSource(ints = {1, 5, 14})
  void an_update_indexed_late_is_stored_by_the_next_sweep_after_the_re_read_delay(int lateMinutes) {
    try (Harness h = new Harness(TestDatabases.Kind.H2)) {
      // a sweep more often than the re-read's delay: the re-read still waits for late updates
      h.withConfig(
          h.config()
              .withReconcile(
                  new AppConfig.ReconcileSettings(
                      LocalTime.MIDNIGHT, 2, SWEEP_EVERY, Duration.ofHours(6))));
      App app = h.app();
      List<SimOrder> orders = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        orders.add(h.sim.shop().create(drafts.next()));
        h.advance(Duration.ofSeconds(20));
      }
      h.advance(Duration.ofMinutes(2));
      passAndCheck(app, h);
      // an hour on: the re-read has moved past the orders' first versions, so only a re-read of
      // the update's own time can find it (a listing matches the version the index shows)
      for (int i = 0; i < 12; i++) {
        h.advance(PASS_EVERY);
        passAndCheck(app, h);
        app.reconcile().sweep().run(h.shop());
      }

      h.sim.shop().setIndexLag(Duration.ofMinutes(lateMinutes));
      SimOrder late = update(h, orders.get(4));
      h.sim.shop().setIndexLag(Duration.ZERO);
      Instant updatedAt = late.updatedAt();

      Duration waited = Duration.ZERO;
      while (!storedVersion(app, late).equals(updatedAt.toString())) {
        assertThat(waited)
            .as(
                "an update indexed %d minutes late is stored by the first sweep or pass %s after it",
                lateMinutes, Sweep.REREAD_AFTER)
            .isLessThan(Sweep.REREAD_AFTER.plus(SWEEP_EVERY).plus(PASS_EVERY));
        h.advance(PASS_EVERY);
        waited = waited.plus(PASS_EVERY);
        passAndCheck(app, h);
        if (waited.toMinutes() % SWEEP_EVERY.toMinutes() == 0) {
          app.reconcile().sweep().run(h.shop());
        }
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"H2", "POSTGRES"})
  void each_version_is_listed_by_the_poll_once_and_by_the_re_read_once_more(String kind) {
    try (Harness h = new Harness(TestDatabases.Kind.valueOf(kind))) {
      h.withConfig(Harness.configFor(h.sim, SyncSettings.defaults(), Duration.ofSeconds(5), 6));
      App app = h.app();
      List<SimOrder> orders = new ArrayList<>();
      int versions = 0;
      int reads = 0;
      for (int minute = 1; minute <= 120; minute++) {
        orders.add(h.sim.shop().create(drafts.next()));
        versions++;
        if (minute % 3 == 0) {
          update(h, orders.get(orders.size() / 2));
          versions++;
        }
        h.advance(Duration.ofMinutes(1));
        if (minute % 5 == 0) {
          passAndCheck(app, h);
          reads += 2;
        }
        if (minute % 15 == 0) {
          app.reconcile().sweep().run(h.shop());
          reads++;
        }
      }
      h.advance(Duration.ofMinutes(2));
      passAndCheck(app, h);
      reads += 2;
      long listed = h.sim.stats().costByOperation().getOrDefault("OrderVersions", 0L);
      // a listing costs a point per order listed and a few per request
      assertThat(listed)
          .as("points spent listing %d versions in %d reads", versions, reads)
          .isLessThanOrEqualTo(2L * versions + 3L * reads)
          // the re-read did read: every version of the first 90 minutes once more
          .isGreaterThan(versions + versions / 2);
      assertThat(app.orders().stored().countAll(h.shop().value())).isEqualTo(orders.size());
      assertThat(
              app.sync()
                  .checkpoints()
                  .get(h.shop(), dev.ordersync.sync.Checkpoints.REREAD)
                  .map(c -> c.watermark()))
          .as("the re-read's mark: an interval and the settle lag behind the last pass")
          .hasValueSatisfying(
              mark ->
                  assertThat(mark)
                      .isAfterOrEqualTo(h.clock.instant().minus(Duration.ofMinutes(22))));
    }
  }

  private static void passAndCheck(App app, Harness h) {
    app.reconcile().sweep().checkAfter(app.sync().once(h.shop()));
  }

  private static SimOrder update(Harness h, SimOrder order) {
    return h.sim
        .shop()
        .update(
            order.id(),
            v ->
                v.withUpdate(
                    Window.floorToSecond(h.clock.instant()).plusSeconds(1),
                    "PAID",
                    "FULFILLED",
                    "updated",
                    v.tags()),
            OrderEvent.Topic.ORDERS_UPDATED)
        .orElseThrow();
  }

  private static String storedVersion(App app, SimOrder order) {
    List<Map<String, Object>> rows = new ArrayList<>();
    app.orders().documents().export(rows::add);
    return rows.stream()
        .filter(r -> r.get("id").equals(order.gid()))
        .map(r -> (String) r.get("updatedAt"))
        .findFirst()
        .orElse("");
  }
}
