package dev.ordersync.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ordersync.App;
import dev.ordersync.orders.StorePath;
import dev.ordersync.simulator.faults.Fault;
import dev.ordersync.simulator.store.SimOrder;
import dev.ordersync.sync.Window;
import dev.ordersync.testing.Drafts;
import dev.ordersync.testing.Harness;
import dev.ordersync.testing.TestDatabases;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReconcilerTest {
  private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");
  private final Drafts drafts = new Drafts(5);

  @Test
  void shop_local_days_are_23_24_or_25_hours_and_half_open() {
    assertThat(Reconciliations.day(LocalDate.of(2026, 11, 1), NEW_YORK).length())
        .isEqualTo(Duration.ofHours(25));
    assertThat(Reconciliations.day(LocalDate.of(2026, 3, 8), NEW_YORK).length())
        .isEqualTo(Duration.ofHours(23));
    Window kolkata = Reconciliations.day(LocalDate.of(2026, 11, 20), ZoneId.of("Asia/Kolkata"));
    assertThat(kolkata.start()).isEqualTo(Instant.parse("2026-11-19T18:30:00Z"));
    assertThat(kolkata.length()).isEqualTo(Duration.ofHours(24));
  }

  @Test
  void orders_at_local_midnight_and_23_59_59_fall_in_the_right_day_across_the_25_hour_day() {
    try (Harness h = new Harness(TestDatabases.Kind.H2)) {
      h.clock.advanceTo(Instant.parse("2026-11-05T12:00:00Z"));
      LocalDate day = LocalDate.of(2026, 11, 1); // clocks go back: 25 hours
      Instant midnight = local(day, 0, 0, 0);
      Instant last = local(day, 23, 59, 59);
      Instant next = local(day.plusDays(1), 0, 0, 0);
      SimOrder a = h.sim.shop().create(drafts.next(), midnight, midnight);
      SimOrder b = h.sim.shop().create(drafts.next(), last, last);
      SimOrder c = h.sim.shop().create(drafts.next(), next, next);
      App app = h.app();
      List<ReconcileReport> reports =
          app.reconcile()
              .reconciliations()
              .days(List.of(day, day.plusDays(1)), ReconcileReport.Kind.MANUAL, false);
      assertThat(reports.get(0).missing()).containsExactlyInAnyOrder(a.gid(), b.gid());
      assertThat(reports.get(0).shopifyCount()).isEqualTo(2);
      assertThat(reports.get(1).missing()).containsExactly(c.gid());
      assertThat(reports)
          .allSatisfy(
              r -> {
                assertThat(r.status()).isEqualTo(ReconcileReport.Status.REPAIRED);
                assertThat(r.stillMissing()).isZero();
              });
      // a second run right after the repair finds nothing to do
      assertThat(
              app.reconcile()
                  .reconciliations()
                  .days(List.of(day, day.plusDays(1)), ReconcileReport.Kind.MANUAL, false))
          .allSatisfy(r -> assertThat(r.status()).isEqualTo(ReconcileReport.Status.OK));
    }
  }

  @Test
  void a_shop_at_plus_05_30_gets_its_own_days() {
    try (Harness h = new Harness(TestDatabases.Kind.H2, b -> b.zone(ZoneId.of("Asia/Kolkata")))) {
      h.withConfig(withoutConfiguredZone(h));
      h.clock.advanceTo(Instant.parse("2026-11-22T12:00:00Z"));
      Instant edge = Instant.parse("2026-11-19T18:30:00Z"); // 2026-11-20 00:00 in Kolkata
      SimOrder before =
          h.sim.shop().create(drafts.next(), edge.minusSeconds(1), edge.minusSeconds(1));
      SimOrder at = h.sim.shop().create(drafts.next(), edge, edge);
      App app = h.app();
      assertThat(app.reconcile().zones().zoneOf(h.shop())).isEqualTo(ZoneId.of("Asia/Kolkata"));
      List<ReconcileReport> r =
          app.reconcile()
              .reconciliations()
              .days(
                  List.of(LocalDate.of(2026, 11, 19), LocalDate.of(2026, 11, 20)),
                  ReconcileReport.Kind.MANUAL,
                  false);
      assertThat(r.get(0).missing()).containsExactly(before.gid());
      assertThat(r.get(1).missing()).containsExactly(at.gid());
    }
  }

  @Test
  void missing_orders_spread_over_a_busy_day_are_found_by_narrowing_cheaply() {
    try (Harness h = new Harness(TestDatabases.Kind.H2)) {
      LocalDate day = LocalDate.of(2026, 11, 19);
      Window w = Reconciliations.day(day, NEW_YORK);
      List<SimOrder> all = new ArrayList<>();
      for (int i = 0; i < 3000; i++) {
        Instant at = w.start().plusSeconds(i * 28L + 5);
        all.add(h.sim.shop().create(drafts.next(), at, at));
      }
      App app = h.app();
      ReconcileReport first =
          app.reconcile()
              .reconciler()
              .reconcile(
                  app.shops().apis().get(h.shop()), w, ReconcileReport.Kind.MANUAL, day, true);
      assertThat(first.imported()).isEqualTo(3000);
      List<String> lost =
          List.of(all.get(7).gid(), all.get(900).gid(), all.get(2999).gid(), all.get(1500).gid());
      forget(app, lost);

      ReconcileReport narrowed =
          app.reconcile()
              .reconciler()
              .reconcile(
                  app.shops().apis().get(h.shop()), w, ReconcileReport.Kind.MANUAL, day, false);
      assertThat(narrowed.status()).isEqualTo(ReconcileReport.Status.REPAIRED);
      assertThat(narrowed.missing()).containsExactlyInAnyOrderElementsOf(lost);
      assertThat(narrowed.omsCountBefore()).isEqualTo(2996);
      assertThat(narrowed.omsCountAfter()).isEqualTo(3000);
      long idsOnly = narrowed.apiCost() - 4 * 60; // less the cost of fetching the 4 orders
      assertThat(idsOnly).isLessThan(first.apiCost() / 3); // far less than listing every id
      ReconcileReport again =
          app.reconcile()
              .reconciler()
              .reconcile(
                  app.shops().apis().get(h.shop()), w, ReconcileReport.Kind.MANUAL, day, false);
      assertThat(again.status()).isEqualTo(ReconcileReport.Status.OK);
      assertThat(again.apiCost()).isLessThanOrEqualTo(2); // one count query
    }
  }

  @Test
  void a_deletion_that_balances_a_miss_hides_from_counts_but_not_from_full() {
    try (Harness h = new Harness(TestDatabases.Kind.H2)) {
      LocalDate day = LocalDate.of(2026, 11, 19);
      Window w = Reconciliations.day(day, NEW_YORK);
      List<SimOrder> all = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        Instant at = w.start().plus(Duration.ofHours(10)).plusSeconds(i * 60L);
        all.add(h.sim.shop().create(drafts.next(), at, at));
      }
      App app = h.app();
      app.reconcile()
          .reconciler()
          .reconcile(app.shops().apis().get(h.shop()), w, ReconcileReport.Kind.MANUAL, day, true);
      forget(app, List.of(all.get(3).gid()));
      h.sim.shop().delete(all.get(4).id()); // its orders/delete webhook never came
      ReconcileReport byCount =
          app.reconcile()
              .reconciler()
              .reconcile(
                  app.shops().apis().get(h.shop()), w, ReconcileReport.Kind.MANUAL, day, false);
      assertThat(byCount.status()).isEqualTo(ReconcileReport.Status.OK);
      assertThat(byCount.missing()).isEmpty();
      ReconcileReport full =
          app.reconcile()
              .reconciler()
              .reconcile(
                  app.shops().apis().get(h.shop()), w, ReconcileReport.Kind.MANUAL, day, true);
      assertThat(full.missing()).containsExactly(all.get(3).gid());
      assertThat(full.imported()).isEqualTo(1);
      assertThat(full.extra()).containsExactly(all.get(4).gid());
      assertThat(full.status()).isEqualTo(ReconcileReport.Status.REPAIRED);
      assertThat(app.orders().stored().countAll(h.shop().value()))
          .isEqualTo(20); // reported, not deleted
    }
  }

  /**
   * During an index incident, an order we hold (by webhook) that Shopify's search does not list yet
   * is no "extra": asked by id, Shopify has it. An order deleted in Shopify is.
   */
  @Test
  void an_order_search_does_not_list_yet_is_not_extra_but_a_deleted_one_is() {
    try (Harness h = new Harness(TestDatabases.Kind.H2)) {
      App app = h.app();
      List<SimOrder> all = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        all.add(h.sim.shop().create(drafts.next()));
        h.advance(Duration.ofMinutes(1));
      }
      h.advance(Duration.ofMinutes(5));
      app.sync().once(h.shop());
      h.sim.shop().setIndexLag(Duration.ofMinutes(30));
      SimOrder late = h.sim.shop().create(drafts.next());
      app.orders()
          .batches()
          .store(app.shops().apis().get(h.shop()).byIds(List.of(late.gid())), StorePath.WEBHOOK);
      h.advance(Duration.ofMinutes(2));
      Window w =
          new Window(
              Harness.START.minus(Duration.ofHours(1)), Window.floorToSecond(h.clock.instant()));

      ReconcileReport unlisted =
          app.reconcile()
              .reconciler()
              .reconcile(
                  app.shops().apis().get(h.shop()), w, ReconcileReport.Kind.SWEEP, null, false);
      assertThat(unlisted.shopifyCount()).isEqualTo(10);
      assertThat(unlisted.omsCountAfter()).isEqualTo(11);
      assertThat(unlisted.extra()).isEmpty();
      assertThat(unlisted.status()).isEqualTo(ReconcileReport.Status.OK);

      h.sim.shop().delete(all.get(2).id()); // its orders/delete webhook never came
      ReconcileReport deleted =
          app.reconcile()
              .reconciler()
              .reconcile(
                  app.shops().apis().get(h.shop()), w, ReconcileReport.Kind.SWEEP, null, false);
      assertThat(deleted.extra()).containsExactly(all.get(2).gid());
      assertThat(deleted.status()).isEqualTo(ReconcileReport.Status.MISMATCH);
      assertThat(deleted.reason()).isEqualTo("1 stored order(s) deleted in Shopify");
    }
  }

  @Test
  void shopify_failing_in_the_middle_records_it_unreachable_with_the_reason_and_no_half_state() {
    try (Harness h = new Harness(TestDatabases.Kind.H2)) {
      LocalDate day = LocalDate.of(2026, 11, 19);
      Window w = Reconciliations.day(day, NEW_YORK);
      for (int i = 0; i < 50; i++) {
        Instant at = w.start().plusSeconds(i * 1000L);
        h.sim.shop().create(drafts.next(), at, at);
      }
      App app = h.app();
      h.sim.faults().passNext(1).failNext(Fault.HTTP_503, 20); // the count, then nothing
      ReconcileReport failing =
          app.reconcile()
              .reconciler()
              .reconcile(
                  app.shops().apis().get(h.shop()), w, ReconcileReport.Kind.MANUAL, day, false);
      // an outage, not a mismatch (issue 26): the mismatch alert is for orders really missing
      assertThat(failing.status()).isEqualTo(ReconcileReport.Status.UNREACHABLE);
      assertThat(failing.shopifyCount()).isEqualTo(50);
      assertThat(failing.reason()).startsWith("could not finish").contains("HTTP 503");
      assertThat(failing.omsCountAfter()).isEqualTo(failing.omsCountBefore()).isZero();
      h.sim.faults().clear();
      ReconcileReport ok =
          app.reconcile()
              .reconciler()
              .reconcile(
                  app.shops().apis().get(h.shop()), w, ReconcileReport.Kind.MANUAL, day, false);
      assertThat(ok.status()).isEqualTo(ReconcileReport.Status.REPAIRED);
      assertThat(ok.imported()).isEqualTo(50);
      assertThat(app.reconcile().runs().history(h.shop(), null, 10))
          .extracting(ReconcileReport::status)
          .containsExactly(ReconcileReport.Status.REPAIRED, ReconcileReport.Status.UNREACHABLE);
    }
  }

  private static Instant local(LocalDate day, int h, int m, int s) {
    return LocalDateTime.of(day, java.time.LocalTime.of(h, m, s)).atZone(NEW_YORK).toInstant();
  }

  private static dev.ordersync.config.AppConfig withoutConfiguredZone(Harness h) {
    var cfg = h.config();
    return cfg.withShops(List.of(cfg.shops().get(0).withTimezone(java.util.Optional.empty())));
  }

  /** Makes the store lose orders, as a bug or a bad restore would. */
  private static void forget(App app, List<String> ids) {
    app.service()
        .db()
        .inTransaction(
            c -> {
              for (String id : ids) {
                try (PreparedStatement ps =
                    c.getConnection()
                        .prepareStatement("DELETE FROM order_line_items WHERE " + "order_id = ?")) {
                  ps.setString(1, id);
                  ps.executeUpdate();
                }
                try (PreparedStatement ps =
                    c.getConnection().prepareStatement("DELETE FROM orders WHERE id = ?")) {
                  ps.setString(1, id);
                  ps.executeUpdate();
                }
              }
              return null;
            });
  }
}
