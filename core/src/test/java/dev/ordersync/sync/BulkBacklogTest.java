package dev.ordersync.sync;

import static dev.ordersync.testing.StoreAssertions.assertStoredExactly;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ordersync.App;
import dev.ordersync.config.SyncSettings;
import dev.ordersync.shopify.OrderQueries;
import dev.ordersync.testing.Drafts;
import dev.ordersync.testing.Harness;
import dev.ordersync.testing.TestDatabases;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A backlog larger than {@code sync.bulkThreshold} is read through one bulk query operation, the
 * watermark moving with its last orders (issue 14): a crash during the download resumes the kept
 * operation past what was stored, a FAILED operation falls back to pages and loses nothing, a shop
 * at its limit of bulk queries is waited for, and a backlog below the threshold stays paged.
 */
class BulkBacklogTest {
  private static final int ORDERS = 600;
  private final Drafts drafts = new Drafts(21);

  private Harness harness(TestDatabases.Kind db, int threshold) {
    Harness h = new Harness(db);
    h.withConfig(
        Harness.configFor(
            h.sim, SyncSettings.defaults().withBulkThreshold(threshold), Duration.ofSeconds(5), 6));
    for (int i = 0; i < ORDERS; i++) {
      h.sim.shop().create(drafts.next());
      h.advance(Duration.ofSeconds(20));
    }
    h.advance(Duration.ofMinutes(2));
    return h;
  }

  @ParameterizedTest
  @EnumSource(TestDatabases.Kind.class)
  void a_backlog_above_the_threshold_is_read_in_bulk_for_a_few_points(TestDatabases.Kind db) {
    try (Harness h = harness(db, 100)) {
      App app = h.app();
      PassResult pass = app.sync().once(h.shop());

      assertThat(h.sim.bulk().started()).isEqualTo(1);
      assertStoredExactly(app, h.sim, "after the bulk read");
      assertThat(pass.error()).isNull();
      assertThat(pass.ordersWritten()).isEqualTo(ORDERS);
      assertThat(pass.apiCost())
          .as("a count, a mutation and a few status polls, not 33 points an order")
          .isLessThan(100);
      assertThat(watermark(app, h)).isEqualTo(pass.windowEnd());
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabases.Kind.class)
  void a_backlog_below_the_threshold_stays_paged(TestDatabases.Kind db) {
    try (Harness h = harness(db, ORDERS)) {
      App app = h.app();
      app.sync().once(h.shop());

      assertThat(h.sim.bulk().started()).isZero();
      assertStoredExactly(app, h.sim, "after the paged read");
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabases.Kind.class)
  void a_crash_during_the_download_resumes_the_kept_operation_past_what_was_stored(
      TestDatabases.Kind db) {
    try (Harness h = harness(db, 100)) {
      int[] commits = {0};
      App dying =
          h.app(
              step -> {
                if (step == CrashPoints.Step.COMMITTED && ++commits[0] == 1) {
                  throw new dev.ordersync.testing.SimulatedCrash(
                      "killed after the first 250 orders");
                }
              });
      assertThatThrownBy(() -> dying.sync().once(h.shop())).hasMessageContaining("killed");
      assertThat(
              h.app()
                  .orders()
                  .stored()
                  .countCreated(h.shop().value(), Instant.EPOCH, h.clock.instant()))
          .isEqualTo(250);
      Instant before = watermarkOrNull(h.app(), h);

      h.advance(Duration.ofMinutes(1));
      PassResult resumed = h.app().sync().once(h.shop());

      assertThat(h.sim.bulk().started()).as("no second operation").isEqualTo(1);
      assertThat(resumed.ordersWritten())
          .as("only what the first run had not stored")
          .isEqualTo(ORDERS - 250);
      assertStoredExactly(h.app(), h.sim, "after the resumed read");
      assertThat(before).as("the watermark did not move with the first batches").isNull();
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabases.Kind.class)
  void a_failed_operation_falls_back_to_pages_and_loses_nothing(TestDatabases.Kind db) {
    try (Harness h = harness(db, 100)) {
      h.sim.bulk().failNext("INTERNAL_SERVER_ERROR", 0.5);
      App app = h.app();
      PassResult pass = app.sync().once(h.shop());

      assertThat(pass.error()).isNull();
      assertStoredExactly(app, h.sim, "after the fallback");
      assertThat(watermark(app, h)).isEqualTo(pass.windowEnd());
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabases.Kind.class)
  void a_shop_at_its_limit_of_bulk_queries_is_waited_for_not_failed(TestDatabases.Kind db) {
    try (Harness h = harness(db, 100)) {
      h.sim.bulk().setRate(5);
      for (int i = 0; i < 5; i++) {
        h.sim
            .bulk()
            .run(OrderQueries.bulkOrders("created_at:>='2026-01-01T00:00:00Z'"), true, "2026-10");
      }
      h.sim.bulk().setRate(20_000);
      App app = h.app();
      PassResult pass = app.sync().once(h.shop());

      assertThat(h.sim.bulk().started()).isEqualTo(6);
      assertThat(pass.error()).isNull();
      assertStoredExactly(app, h.sim, "after waiting for a free slot");
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabases.Kind.class)
  void a_reconciliation_missing_more_than_the_threshold_imports_the_window_in_bulk(
      TestDatabases.Kind db) {
    try (Harness h = harness(db, 100)) {
      App app = h.app();
      Window day =
          new Window(
              Window.floorToSecond(Harness.START),
              Window.floorToSecond(h.clock.instant().minus(Duration.ofMinutes(1))));
      dev.ordersync.reconcile.ReconcileReport report =
          app.reconcile()
              .reconciliations()
              .window(day, dev.ordersync.reconcile.ReconcileReport.Kind.MANUAL, false)
              .get(0);

      assertThat(h.sim.bulk().started()).isEqualTo(1);
      assertThat(report.status())
          .isEqualTo(dev.ordersync.reconcile.ReconcileReport.Status.REPAIRED);
      assertThat(report.imported()).isEqualTo(ORDERS);
      assertStoredExactly(app, h.sim, "after the reconciliation");
    }
  }

  private static Instant watermark(App app, Harness h) {
    return app.sync().checkpoints().get(h.shop(), Checkpoints.ORDERS).orElseThrow().watermark();
  }

  private static Instant watermarkOrNull(App app, Harness h) {
    return app.sync()
        .checkpoints()
        .get(h.shop(), Checkpoints.ORDERS)
        .map(Checkpoints.Checkpoint::watermark)
        .orElse(null);
  }
}
