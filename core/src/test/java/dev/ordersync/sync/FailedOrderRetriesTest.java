package dev.ordersync.sync;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ordersync.App;
import dev.ordersync.orders.FailedOrders;
import dev.ordersync.orders.FetchedOrder;
import dev.ordersync.orders.StorePath;
import dev.ordersync.simulator.store.SimOrder;
import dev.ordersync.testing.Drafts;
import dev.ordersync.testing.Harness;
import dev.ordersync.testing.TestDatabases;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Issue 24, item 2: failures that can never be retried never starve the ones that can. */
class FailedOrderRetriesTest {
  private final Drafts drafts = new Drafts(24);

  private static void fail(App app, FetchedOrder f, Instant at) {
    app.service()
        .db()
        .inTransaction(
            c -> {
              app.orders().failed().record(c, f, StorePath.WEBHOOK, at);
              return null;
            });
  }

  @ParameterizedTest
  @EnumSource(TestDatabases.Kind.class)
  void ids_shopify_no_longer_has_and_payloads_without_an_id_never_starve_the_others(
      TestDatabases.Kind kind) {
    try (Harness h = new Harness(kind)) {
      App app = h.app();
      SimOrder real = h.sim.shop().create(drafts.next());
      h.advance(Duration.ofMinutes(5));
      assertThat(app.sync().once(h.shop()).ok()).isTrue(); // stored; the windows move past it
      h.advance(Duration.ofMinutes(30));

      Instant now = h.clock.instant();
      for (int i = 0; i < 20; i++) { // no id: can never be fetched
        fail(
            app,
            FetchedOrder.unmapped(h.shop().value(), null, null, "{\"n\":" + i + "}", "no id"),
            now.minus(Duration.ofHours(3)));
      }
      for (int i = 0; i < 260; i++) { // ids Shopify does not return
        fail(
            app,
            FetchedOrder.unmapped(
                h.shop().value(), "gid://shopify/Order/" + (9_000_000 + i), null, "{}", "x"),
            now.minus(Duration.ofHours(2)));
      }
      fail(
          app,
          FetchedOrder.unmapped(h.shop().value(), real.gid(), real.name(), "{}", "bad"),
          now.minus(Duration.ofHours(1)));

      assertThat(app.sync().once(h.shop()).ok()).isTrue(); // 250 dead ids take this pass's turn
      assertThat(open(app)).anyMatch(f -> f.orderKey().equals(real.gid()));
      h.advance(Duration.ofMinutes(6));
      assertThat(app.sync().once(h.shop()).ok()).isTrue(); // the dead ones now wait longer

      assertThat(open(app)).noneMatch(f -> f.orderKey().equals(real.gid())).hasSize(280);
      assertThat(open(app))
          .filteredOn(f -> f.orderKey().startsWith("gid://"))
          .allSatisfy(
              f -> {
                assertThat(f.attempts()).isEqualTo(2);
                assertThat(f.error()).contains("did not return this order");
                assertThat(f.nextRetryAt()).isAfter(h.clock.instant());
              });
    }
  }

  private static java.util.List<FailedOrders.Failure> open(App app) {
    return app.orders().failed().open(null);
  }
}
