package dev.ordersync.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ordersync.App;
import dev.ordersync.config.ShopConfig;
import dev.ordersync.db.Database;
import dev.ordersync.orders.FetchedOrder;
import dev.ordersync.orders.StorePath;
import dev.ordersync.secrets.Hmac;
import dev.ordersync.secrets.Secret;
import dev.ordersync.service.HttpApi;
import dev.ordersync.shops.ShopStates;
import dev.ordersync.simulator.store.OrderDraft;
import dev.ordersync.simulator.store.SimOrder;
import dev.ordersync.simulator.webhooks.RestPayload;
import dev.ordersync.testing.Drafts;
import dev.ordersync.testing.Harness;
import dev.ordersync.testing.StoreAssertions;
import dev.ordersync.testing.TestDatabases;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Issue 25: Shopify's compliance webhooks and the uninstall, delivered signed as Shopify sends
 * them, on both databases: a redacted customer leaves no trace in any table or in the export and
 * stays redacted; a shop redacted leaves no row; a data request is recorded and exportable; an
 * uninstalled shop is called no more.
 */
class ComplianceWebhooksTest {
  private static final String SECRET = "compliance-secret";
  private static final List<String> TABLES =
      List.of(
          "orders",
          "order_line_items",
          "failed_orders",
          "webhook_deliveries",
          "order_tombstones",
          "shop_tokens",
          "sync_checkpoints",
          "sync_passes",
          "reconcile_runs",
          "bulk_imports",
          "redacted_customers",
          "redacted_orders",
          "data_requests",
          "shops",
          "webhook_counters");
  private final HttpClient http = HttpClient.newHttpClient();
  private final ObjectMapper json = new ObjectMapper();
  private final Drafts drafts = new Drafts(250);

  private App start(Harness h) {
    ShopConfig s = h.config().shops().get(0);
    h.withConfig(h.config().withShops(List.of(s.withWebhookSecrets(List.of(new Secret(SECRET))))));
    return h.app();
  }

  private int deliver(HttpApi api, Harness h, String topic, Object body) throws Exception {
    String text = body instanceof String t ? t : json.writeValueAsString(body);
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.port() + "/webhooks/shopify"))
            .POST(HttpRequest.BodyPublishers.ofString(text))
            .header("X-Shopify-Topic", topic)
            .header("X-Shopify-Webhook-Id", UUID.randomUUID().toString())
            .header("X-Shopify-Shop-Domain", h.shop().value())
            .header("X-Shopify-Triggered-At", h.clock.instant().toString())
            .header(
                "X-Shopify-Hmac-Sha256", Hmac.sign(SECRET, text.getBytes(StandardCharsets.UTF_8)))
            .build();
    return http.send(request, HttpResponse.BodyHandlers.ofString()).statusCode();
  }

  /** A draft with a customer (some drafts are guests'). */
  private OrderDraft withCustomer() {
    OrderDraft d = drafts.next();
    while (d.customer() == null || d.email() == null) {
      d = drafts.next();
    }
    return d;
  }

  /** Every row of every table, as text, that holds {@code needle}. */
  private static List<String> rowsHolding(Database db, String needle) {
    List<String> out = new ArrayList<>();
    for (String table : TABLES) {
      for (Map<String, Object> row :
          db.read(h -> h.createQuery("SELECT * FROM " + table).mapToMap().list())) {
        if (String.valueOf(row).contains(needle)) {
          out.add(table + ": " + row);
        }
      }
    }
    return out;
  }

  @ParameterizedTest
  @EnumSource(TestDatabases.Kind.class)
  void a_redacted_customer_leaves_no_trace_and_stays_redacted(TestDatabases.Kind kind)
      throws Exception {
    try (Harness h = new Harness(kind)) {
      App app = start(h);
      try (HttpApi api = app.service().httpApi(() -> {}).start("127.0.0.1", 0)) {
        OrderDraft draft = withCustomer();
        SimOrder first = h.sim.shop().create(draft);
        SimOrder second = h.sim.shop().create(draft); // the same customer again
        SimOrder other = h.sim.shop().create(withCustomer());
        String email = draft.customer().email();
        String lastName = draft.customer().lastName();
        h.advance(Duration.ofMinutes(5));
        assertThat(app.sync().once(h.shop()).ok()).isTrue();
        // a webhook body and a failed version hold the customer's data too
        assertThat(
                deliver(
                    api,
                    h,
                    "orders/updated",
                    RestPayload.order(first, ZoneId.of("America/New_York"), h.shop().value())))
            .isEqualTo(200);
        app.webhooks().processor().processPending();
        app.orders()
            .batches()
            .store(
                List.of(
                    FetchedOrder.unmapped(
                        h.shop().value(),
                        second.gid(),
                        second.name(),
                        json.writeValueAsString(
                            Map.of("email", email, "updated_at", "2099-01-01T00:00:00Z")),
                        "cannot map")),
                StorePath.WEBHOOK);
        assertThat(rowsHolding(app.service().db(), email)).isNotEmpty();
        long headBefore = app.feed().changes().head().head();

        Map<String, Object> redact =
            Map.of(
                "shop_id",
                1,
                "shop_domain",
                h.shop(),
                "customer",
                Map.of("id", draft.customer().id(), "email", email, "phone", "+15550001111"),
                "orders_to_redact",
                List.of(first.id()));
        assertThat(deliver(api, h, "customers/redact", redact)).isEqualTo(200);
        app.webhooks().processor().processPending();

        assertThat(rowsHolding(app.service().db(), email)).isEmpty();
        assertThat(rowsHolding(app.service().db(), lastName)).isEmpty();
        assertThat(StoreAssertions.exported(app).toString()).doesNotContain(email, lastName);
        List<Map<String, Object>> changes =
            app.feed().changes().page(headBefore, 100, h.shop().value()).changes();
        assertThat(changes)
            .filteredOn(c -> c.get("kind").equals("redacted"))
            .extracting(c -> c.get("id"))
            .containsExactlyInAnyOrder(first.gid(), second.gid());
        assertThat(StoreAssertions.exported(app).toString()).contains(other.email());

        // a later version, by any path, is stored without the customer's data
        h.advance(Duration.ofMinutes(1));
        h.sim
            .shop()
            .update(
                first.id(),
                o -> o.withUpdate(h.sim.shop().now(), "PAID", "FULFILLED", "shipped", List.of()),
                dev.ordersync.simulator.store.OrderEvent.Topic.ORDERS_UPDATED);
        h.advance(Duration.ofMinutes(5));
        assertThat(app.sync().once(h.shop()).ok()).isTrue();
        assertThat(rowsHolding(app.service().db(), email)).isEmpty();
        assertThat(StoreAssertions.exported(app))
            .filteredOn(r -> r.get("id").equals(first.gid()))
            .singleElement()
            .satisfies(r -> assertThat(r.get("fulfillmentStatus")).isEqualTo("FULFILLED"));
      }
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabases.Kind.class)
  void a_data_request_is_recorded_a_shop_redacted_leaves_no_row_and_an_uninstall_stops_calls(
      TestDatabases.Kind kind) throws Exception {
    try (Harness h = new Harness(kind)) {
      App app = start(h);
      try (HttpApi api = app.service().httpApi(() -> {}).start("127.0.0.1", 0)) {
        OrderDraft draft = withCustomer();
        SimOrder o = h.sim.shop().create(draft);
        h.advance(Duration.ofMinutes(5));
        assertThat(app.sync().once(h.shop()).ok()).isTrue();

        Map<String, Object> request =
            Map.of(
                "shop_id", 1,
                "shop_domain", h.shop(),
                "orders_requested", List.of(o.id()),
                "customer", Map.of("id", draft.customer().id(), "email", draft.customer().email()),
                "data_request", Map.of("id", 9001));
        assertThat(deliver(api, h, "customers/data_request", request)).isEqualTo(200);
        app.webhooks().processor().processPending();
        assertThat(app.shops().dataRequests().all())
            .singleElement()
            .satisfies(
                r -> {
                  assertThat(r.requestId()).isEqualTo("9001");
                  assertThat(r.customerId())
                      .isEqualTo("gid://shopify/Customer/" + draft.customer().id());
                });
        List<Map<String, Object>> exported = new ArrayList<>();
        app.orders()
            .documents()
            .exportCustomer(
                h.shop().value(), "gid://shopify/Customer/" + draft.customer().id(), exported::add);
        assertThat(exported).extracting(r -> r.get("id")).containsExactly(o.gid());

        // uninstalled: no further call to Shopify, the orders stay
        assertThat(
                deliver(api, h, "app/uninstalled", Map.of("id", 1, "myshopify_domain", h.shop())))
            .isEqualTo(200);
        app.webhooks().processor().processPending();
        assertThat(app.shops().states().of(h.shop())).isEqualTo(ShopStates.State.UNINSTALLED);
        long requests = h.sim.stats().requests();
        h.advance(Duration.ofMinutes(5));
        assertThat(app.sync().once()).isEmpty();
        assertThat(h.sim.stats().requests()).isEqualTo(requests);
        assertThat(StoreAssertions.exported(app)).hasSize(1);

        assertThat(deliver(api, h, "shop/redact", Map.of("shop_id", 1, "shop_domain", h.shop())))
            .isEqualTo(200);
        app.webhooks().processor().processPending();
        assertThat(rowsHolding(app.service().db(), h.shop().value())).isEmpty();
        long head = app.feed().changes().head().head();
        assertThat(app.feed().changes().page(head - 1, 10, null).changes())
            .singleElement()
            .satisfies(c -> assertThat(c.get("kind")).isEqualTo("shop-redacted"));
      }
    }
  }
}
