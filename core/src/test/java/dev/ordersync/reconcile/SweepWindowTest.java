package dev.ordersync.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ordersync.App;
import dev.ordersync.testing.Drafts;
import dev.ordersync.testing.Harness;
import dev.ordersync.testing.TestDatabases;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The sweep compares created orders up to the poll's watermark while the poll keeps up: the orders
 * past it are the next pass's, not missing. When the poll has fallen behind by more than a sweep
 * interval, the sweep covers everything up to the settled end.
 */
class SweepWindowTest {
  private final Drafts drafts = new Drafts(11);

  @Test
  void orders_past_the_watermark_of_a_poll_that_keeps_up_are_left_to_the_next_pass() {
    try (Harness h = new Harness(TestDatabases.Kind.H2)) {
      App app = pollThenThreeMore(h);
      h.advance(Duration.ofMinutes(3)); // settled, and 3 minutes past the watermark

      ReconcileReport sweep = app.reconcile().sweep().run(h.shop());

      assertThat(sweep.status()).isEqualTo(ReconcileReport.Status.OK);
      assertThat(sweep.missing()).isEmpty();
      assertThat(app.orders().stored().countAll(h.shop().value())).isEqualTo(5);
      app.sync().once(h.shop());
      assertThat(app.orders().stored().countAll(h.shop().value())).isEqualTo(8);
    }
  }

  @Test
  void orders_past_the_watermark_of_a_poll_fallen_behind_are_the_sweep_s() {
    try (Harness h = new Harness(TestDatabases.Kind.H2)) {
      App app = pollThenThreeMore(h);
      h.advance(Duration.ofMinutes(20)); // no pass for longer than a sweep interval (15 minutes)

      ReconcileReport sweep = app.reconcile().sweep().run(h.shop());

      assertThat(sweep.status()).isEqualTo(ReconcileReport.Status.REPAIRED);
      assertThat(sweep.missing()).hasSize(3);
      assertThat(app.orders().stored().countAll(h.shop().value())).isEqualTo(8);
    }
  }

  @Test
  void an_order_both_paths_missed_is_stored_at_the_first_pass_after_shopify_indexes_it() {
    try (Harness h = new Harness(TestDatabases.Kind.H2)) {
      App app = h.app();
      create(h, 3);
      h.advance(Duration.ofMinutes(2));
      app.reconcile().sweep().checkAfter(app.sync().once(h.shop()));
      // no webhook (none is configured here), and Shopify's search shows it 12 minutes late:
      // longer than the poll's settle lag and overlap together
      h.sim.shop().setIndexLag(Duration.ofMinutes(12));
      create(h, 1);
      for (int pass = 0; pass < 2; pass++) {
        h.advance(Duration.ofMinutes(5));
        app.reconcile().sweep().checkAfter(app.sync().once(h.shop()));
        assertThat(app.orders().stored().countAll(h.shop().value()))
            .as("not indexed yet")
            .isEqualTo(3);
      }
      h.advance(Duration.ofMinutes(5)); // indexed now; past the window of this pass
      var pass = app.sync().once(h.shop());
      assertThat(app.orders().stored().countAll(h.shop().value()))
          .as("the pass alone")
          .isEqualTo(3);
      app.reconcile().sweep().checkAfter(pass);
      assertThat(app.orders().stored().countAll(h.shop().value()))
          .as("with the check after it")
          .isEqualTo(4);
      assertThat(app.reconcile().runs().history(h.shop(), null, 10))
          .as("checks that found nothing are not recorded")
          .hasSize(1)
          .allMatch(r -> r.status() == ReconcileReport.Status.REPAIRED);
    }
  }

  /** Five orders read by a pass, then three created after its watermark. */
  private App pollThenThreeMore(Harness h) {
    App app = h.app();
    create(h, 5);
    h.advance(Duration.ofMinutes(2));
    app.sync().once(h.shop());
    create(h, 3);
    return app;
  }

  private void create(Harness h, int n) {
    for (int i = 0; i < n; i++) {
      h.sim.shop().create(drafts.next());
      h.advance(Duration.ofSeconds(10));
    }
  }
}
