package dev.ordersync.sync;

import static dev.ordersync.testing.StoreAssertions.assertStoredExactly;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ordersync.App;
import dev.ordersync.config.SyncSettings;
import dev.ordersync.orders.StorePath;
import dev.ordersync.shopify.ShopifyOrders;
import dev.ordersync.simulator.store.SimOrder;
import dev.ordersync.testing.Drafts;
import dev.ordersync.testing.Harness;
import dev.ordersync.testing.TestDatabases;
import dev.ordersync.webhook.DeliveryStatus;
import dev.ordersync.webhook.WebhookInbox;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The poll lists versions (a point per order) and fetches in full only what is not stored at that
 * version (issue 14): what the webhooks stored costs a point, an order whose webhook was lost is
 * fetched and stored, and with no webhook at all the cost stays within 10% of reading every order
 * in full; with {@code sync.webhookGrace}, while webhooks flow, the poll leaves them the newest
 * minutes.
 */
class WebhookFirstPollTest {
  private static final int ORDERS = 100;
  private final Drafts drafts = new Drafts(14);

  @ParameterizedTest
  @EnumSource(TestDatabases.Kind.class)
  void what_webhooks_stored_costs_a_point_and_an_order_whose_webhook_was_lost_is_fetched(
      TestDatabases.Kind db) {
    try (Harness h = new Harness(db)) {
      App app = h.app();
      List<String> ids = orders(h);
      ShopifyOrders api = app.shops().apis().get(h.shop());
      // the webhooks stored all but the last (stored here as a webhook would: the same version)
      long before = api.client().meter().cost();
      app.sync().refetch().byIds(api, ids.subList(0, ORDERS - 1), StorePath.WEBHOOK);
      double fullPerOrder = (api.client().meter().cost() - before) / (double) (ORDERS - 1);

      PassResult pass = app.sync().once(h.shop());

      assertStoredExactly(app, h.sim, "after the pass");
      assertThat(pass.ordersSeen()).isEqualTo(ORDERS);
      assertThat(pass.ordersWritten()).isEqualTo(1);
      assertThat(pass.apiCost())
          .as(
              "a point per listed order, a few per listing, one order in full (%.1f points)",
              fullPerOrder)
          .isLessThanOrEqualTo((long) (ORDERS + 3 * pass.pages() + fullPerOrder * 1.5));
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabases.Kind.class)
  void without_webhooks_the_poll_costs_at_most_a_tenth_more_than_reading_every_order_in_full(
      TestDatabases.Kind db) {
    try (Harness h = new Harness(db)) {
      App app = h.app();
      List<String> ids = orders(h);
      ShopifyOrders api = app.shops().apis().get(h.shop());
      long before = api.client().meter().cost();
      api.byIds(ids); // what reading them in full costs, stored nowhere
      long inFull = api.client().meter().cost() - before;

      PassResult pass = app.sync().once(h.shop());

      assertStoredExactly(app, h.sim, "after the pass");
      assertThat(pass.ordersWritten()).isEqualTo(ORDERS);
      assertThat(pass.apiCost())
          .isGreaterThanOrEqualTo(inFull)
          .isLessThanOrEqualTo(inFull * 11 / 10);
    }
  }

  private List<String> orders(Harness h) {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < ORDERS; i++) {
      SimOrder o = h.sim.shop().create(drafts.next());
      ids.add(o.gid());
      h.advance(Duration.ofSeconds(15));
    }
    h.advance(Duration.ofMinutes(2));
    return ids;
  }

  @ParameterizedTest
  @EnumSource(TestDatabases.Kind.class)
  void with_a_webhook_grace_the_poll_leaves_the_newest_minutes_to_flowing_webhooks(
      TestDatabases.Kind db) {
    Duration grace = Duration.ofMinutes(3);
    try (Harness h = new Harness(db)) {
      h.withConfig(
          Harness.configFor(
              h.sim, SyncSettings.defaults().withWebhookGrace(grace), Duration.ofSeconds(5), 6));
      App app = h.app();
      assertThat(app.sync().once(h.shop()).windowEnd())
          .as("no webhook yet: the settle lag")
          .isEqualTo(Window.floorToSecond(h.clock.instant().minusSeconds(60)));

      webhookArrives(app, h);
      h.advance(Duration.ofMinutes(5));
      assertThat(app.sync().once(h.shop()).windowEnd())
          .as("webhooks flowing")
          .isEqualTo(Window.floorToSecond(h.clock.instant().minus(grace)));

      h.advance(Settled.WEBHOOKS_FLOWING);
      assertThat(app.sync().once(h.shop()).windowEnd())
          .as("no webhook for an hour: the settle lag again")
          .isEqualTo(Window.floorToSecond(h.clock.instant().minusSeconds(60)));
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabases.Kind.class)
  void without_a_webhook_grace_the_window_ends_at_the_settle_lag_though_webhooks_flow(
      TestDatabases.Kind db) {
    try (Harness h = new Harness(db)) {
      App app = h.app();
      webhookArrives(app, h);
      h.advance(Duration.ofMinutes(5));
      assertThat(app.sync().once(h.shop()).windowEnd())
          .isEqualTo(Window.floorToSecond(h.clock.instant().minusSeconds(60)));
    }
  }

  private static void webhookArrives(App app, Harness h) {
    app.webhooks()
        .inbox()
        .record(
            new WebhookInbox.Delivery(
                h.shop().value(),
                "delivery-1",
                "orders/create",
                "event-1",
                "2026-10",
                h.clock.instant().toString(),
                h.clock.instant(),
                "{\"id\": 1}",
                DeliveryStatus.PENDING,
                0));
  }
}
