package dev.ordersync;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ordersync.orders.FailedOrders;
import dev.ordersync.reconcile.ReconcileReport;
import dev.ordersync.simulator.store.SimOrder;
import dev.ordersync.simulator.webhooks.RestPayload;
import dev.ordersync.sync.Checkpoints;
import dev.ordersync.sync.PassResult;
import dev.ordersync.sync.Window;
import dev.ordersync.testing.CorruptingProxy;
import dev.ordersync.testing.Drafts;
import dev.ordersync.testing.Harness;
import dev.ordersync.testing.TestDatabases;
import dev.ordersync.testing.TestOrders;
import dev.ordersync.webhook.WebhookInbox;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Issue 10, end to end: an order the database refuses, met by the poll, a webhook batch and the
 * reconciliation's import, is kept in failed_orders while every other order is stored and the work
 * moves on. Each of these stalled for good before the batch store isolated such orders.
 */
class OrderAtFaultOnEveryPathTest {
  private static final String REFUSED = TestOrders.REFUSED_TOTAL.toPlainString();
  private final Drafts drafts = new Drafts(31);
  private final ObjectMapper json = new ObjectMapper();

  @ParameterizedTest
  @EnumSource(TestDatabases.Kind.class)
  void the_poll_stores_the_others_moves_the_watermark_and_retries_the_one(TestDatabases.Kind kind) {
    try (Harness h = new Harness(kind);
        CorruptingProxy proxy = new CorruptingProxy(h.sim.endpoint())) {
      h.withConfig(Harness.through(h.config(), proxy.endpoint()));
      List<SimOrder> orders = createdBefore(h, 81);
      SimOrder bad = orders.get(40);
      proxy.damage(
          bad.gid(), o -> o.with("totalPriceSet").with("shopMoney").put("amount", REFUSED));
      App app = h.app();

      PassResult pass = app.sync().once(h.shop());

      assertThat(pass.ok()).as("a pass with one refused order succeeds").isTrue();
      assertThat(pass.ordersFailed()).isEqualTo(1);
      assertThat(app.orders().stored().countAll(h.shop().value())).isEqualTo(80);
      assertThat(
              app.sync().checkpoints().get(h.shop(), Checkpoints.ORDERS).orElseThrow().watermark())
          .isEqualTo(pass.windowEnd());
      assertThat(app.orders().failed().open(h.shop().value()))
          .singleElement()
          .satisfies(f -> assertThat(f.orderKey()).isEqualTo(bad.gid()));

      proxy.heal();
      h.advance(Duration.ofMinutes(5));
      assertThat(app.sync().once(h.shop()).ok()).isTrue();
      assertThat(app.orders().failed().open(h.shop().value())).isEmpty();
      assertThat(app.orders().stored().countAll(h.shop().value())).isEqualTo(81);
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabases.Kind.class)
  void a_webhook_batch_stores_the_others_and_keeps_the_one_under_its_gid(TestDatabases.Kind kind)
      throws Exception {
    try (Harness h = new Harness(kind)) {
      App app = h.app();
      List<SimOrder> orders = createdBefore(h, 30);
      SimOrder bad = orders.get(15);
      for (SimOrder o : orders) {
        ObjectNode body = json.valueToTree(RestPayload.order(o, ZoneId.of("America/New_York")));
        if (o == bad) {
          body.put("total_price", REFUSED);
          body.remove("admin_graphql_api_id"); // keyed by its numeric id then
        }
        record(app, h, "orders/create", json.writeValueAsString(body));
      }
      record(
          app,
          h,
          "orders/edited",
          "{\"order_edit\":{\"id\":78912328,\"order_id\":"
              + orders.get(0).id()
              + ",\"line_items\":{\"additions\":[],\"removals\":[]}}}");

      app.webhooks().processor().processPending();

      assertThat(app.orders().stored().countAll(h.shop().value())).isEqualTo(29);
      assertThat(app.orders().failed().open(h.shop().value()))
          .singleElement()
          .satisfies(
              f -> {
                assertThat(f.orderKey()).isEqualTo(bad.gid());
                assertThat(f.error()).contains("total_price");
              });
      assertThat(statuses(app))
          .containsOnly("PROCESSED", "FAILED")
          .filteredOn("FAILED"::equals)
          .hasSize(1);
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabases.Kind.class)
  void the_reconciliation_imports_the_others_and_says_which_one_is_still_missing(
      TestDatabases.Kind kind) {
    try (Harness h = new Harness(kind);
        CorruptingProxy proxy = new CorruptingProxy(h.sim.endpoint())) {
      h.withConfig(Harness.through(h.config(), proxy.endpoint()));
      List<SimOrder> orders = createdBefore(h, 12);
      SimOrder bad = orders.get(6);
      proxy.damage(
          bad.gid(), o -> o.with("totalPriceSet").with("shopMoney").put("amount", REFUSED));
      App app = h.app();
      Window w =
          new Window(
              Harness.START.minus(Duration.ofHours(3)),
              Window.floorToSecond(h.clock.instant().minus(Duration.ofMinutes(2))));

      ReconcileReport r =
          app.reconcile()
              .reconciler()
              .reconcile(
                  app.shops().apis().get(h.shop()), w, ReconcileReport.Kind.MANUAL, null, false);

      assertThat(r.imported()).isEqualTo(11);
      assertThat(r.stillMissing()).isEqualTo(1);
      assertThat(r.status()).isEqualTo(ReconcileReport.Status.MISMATCH);
      assertThat(app.orders().failed().open(h.shop().value()))
          .extracting(FailedOrders.Failure::orderKey)
          .containsExactly(bad.gid());
    }
  }

  private List<SimOrder> createdBefore(Harness h, int n) {
    List<SimOrder> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Instant at = Harness.START.minus(Duration.ofMinutes(120)).plusSeconds(i * 30L);
      out.add(h.sim.shop().create(drafts.next(), at, at));
    }
    return out;
  }

  private static void record(App app, Harness h, String topic, String body) {
    app.webhooks()
        .inbox()
        .record(
            new WebhookInbox.Delivery(
                h.shop().value(),
                UUID.randomUUID().toString(),
                topic,
                null,
                "2026-10",
                null,
                h.clock.instant(),
                body,
                dev.ordersync.webhook.DeliveryStatus.PENDING,
                0));
  }

  private static List<String> statuses(App app) {
    return app.service()
        .db()
        .read(
            c -> {
              List<String> out = new ArrayList<>();
              try (PreparedStatement ps =
                      c.getConnection().prepareStatement("SELECT status FROM webhook_deliveries");
                  ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                  out.add(rs.getString(1));
                }
              }
              return out;
            });
  }
}
