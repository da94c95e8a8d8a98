package dev.ordersync.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ordersync.App;
import dev.ordersync.config.ShopConfig;
import dev.ordersync.secrets.Hmac;
import dev.ordersync.secrets.Secret;
import dev.ordersync.service.HttpApi;
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
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 11, findings 2, 3 and 5: what a signed body, replayed or re-labelled, and what unsigned
 * requests can do to the store. Shopify signs the body only; the topic header is anyone's.
 */
class ReplayAndForgeryTest {
  private static final String SECRET = "replay-secret";
  private final HttpClient http = HttpClient.newHttpClient();
  private final ObjectMapper json = new ObjectMapper();
  private final Drafts drafts = new Drafts(41);
  private Harness h;
  private App app;
  private HttpApi api;

  @BeforeEach
  void start() {
    h = new Harness(TestDatabases.Kind.H2);
    ShopConfig s = h.config().shops().get(0);
    h.withConfig(h.config().withShops(List.of(s.withWebhookSecrets(List.of(new Secret(SECRET))))));
    app = h.app();
    api = app.service().httpApi(() -> {}).start("127.0.0.1", 0);
  }

  @AfterEach
  void stop() {
    api.close();
    h.close();
  }

  private HttpResponse<String> deliver(
      String topic, String body, Instant triggeredAt, String shop, boolean signed)
      throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.port() + "/webhooks/shopify"))
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .header("X-Shopify-Topic", topic)
            .header("X-Shopify-Webhook-Id", UUID.randomUUID().toString())
            .header("X-Shopify-Shop-Domain", shop);
    if (signed) {
      b.header("X-Shopify-Hmac-Sha256", Hmac.sign(SECRET, body.getBytes(StandardCharsets.UTF_8)));
    }
    if (triggeredAt != null) {
      b.header("X-Shopify-Triggered-At", triggeredAt.toString());
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> deliver(String topic, String body) throws Exception {
    return deliver(topic, body, h.clock.instant(), h.shop().value(), true);
  }

  private void process() {
    app.webhooks().processor().processPending();
    app.webhooks().processor().confirmDeletions();
  }

  private String payload(SimOrder o) throws Exception {
    return json.writeValueAsString(RestPayload.order(o, ZoneId.of("America/New_York")));
  }

  @Test
  void an_orders_body_relabelled_as_a_deletion_is_kept_as_a_failure_and_deletes_nothing()
      throws Exception {
    SimOrder stored = h.sim.shop().create(drafts.next());
    assertThat(deliver("orders/create", payload(stored)).statusCode()).isEqualTo(200);
    SimOrder other = h.sim.shop().create(drafts.next());

    HttpResponse<String> relabelled = deliver("orders/delete", payload(other));
    HttpResponse<String> replay = deliver("orders/delete", payload(stored));

    // signed, so authentic: acknowledged (a 400 is retried for hours and threatens the
    // subscription), kept under its GID for a retry by id, never applied as a deletion
    assertThat(relabelled.statusCode()).isEqualTo(200);
    assertThat(replay.statusCode()).isEqualTo(200);
    process();
    assertThat(StoreAssertions.exported(app))
        .singleElement()
        .satisfies(r -> assertThat(r.get("deletedAt")).isNull());
    assertThat(
            app.webhooks()
                .stats()
                .total(h.shop().value(), WebhookStats.Outcome.KEPT_TOPIC_MISMATCH))
        .isEqualTo(2);
    // the version of an order not stored yet waits for its retry; the one stored already is moot
    assertThat(app.orders().failed().open(h.shop().value()))
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.orderKey()).isEqualTo(other.gid());
              assertThat(f.error()).contains("does not fit the topic orders/delete");
            });
  }

  /**
   * Issue 24, item 12: shops of one app share the signing secret; a delivery captured at one shop
   * and replayed under another's header is refused where the signed body names its shop.
   */
  @Test
  void a_delivery_whose_body_names_another_shop_is_refused_and_stores_nothing() throws Exception {
    SimOrder o = h.sim.shop().create(drafts.next());
    String captured =
        json.writeValueAsString(
            RestPayload.order(o, ZoneId.of("America/New_York"), "another-shop.myshopify.com"));

    HttpResponse<String> replay = deliver("orders/create", captured);

    assertThat(replay.statusCode()).isEqualTo(401);
    assertThat(replay.body()).contains("belongs to another shop");
    process();
    assertThat(StoreAssertions.exported(app)).isEmpty();
    assertThat(
            app.webhooks()
                .stats()
                .total(h.shop().value(), WebhookStats.Outcome.REJECTED_SHOP_MISMATCH))
        .isEqualTo(1);
    // the same body as its own shop signed it is taken
    String own =
        json.writeValueAsString(
            RestPayload.order(o, ZoneId.of("America/New_York"), h.shop().value()));
    assertThat(deliver("orders/create", own).statusCode()).isEqualTo(200);
  }

  @Test
  void a_deletion_shopify_does_not_confirm_is_recorded_and_ignored() throws Exception {
    SimOrder o = h.sim.shop().create(drafts.next());
    deliver("orders/create", payload(o));
    process();

    assertThat(deliver("orders/delete", "{\"id\":" + o.id() + "}").statusCode()).isEqualTo(200);
    process();

    assertThat(StoreAssertions.exported(app))
        .singleElement()
        .satisfies(r -> assertThat(r.get("deletedAt")).isNull());
    assertThat(
            app.webhooks()
                .stats()
                .total(h.shop().value(), WebhookStats.Outcome.IGNORED_UNCONFIRMED_DELETE))
        .isEqualTo(1);
    assertThat(status("orders/delete")).isEqualTo("IGNORED");

    // and a genuine later update still applies
    h.advance(Duration.ofMinutes(1));
    SimOrder later =
        h.sim
            .shop()
            .update(
                o.id(),
                x -> x.withUpdate(h.sim.shop().now(), "PAID", "FULFILLED", "shipped", List.of()),
                dev.ordersync.simulator.store.OrderEvent.Topic.ORDERS_UPDATED)
            .orElseThrow();
    deliver("orders/updated", payload(later));
    process();
    assertThat(StoreAssertions.exported(app))
        .singleElement()
        .satisfies(r -> assertThat(r.get("fulfillmentStatus")).isEqualTo("FULFILLED"));
  }

  @Test
  void a_deletion_waits_while_shopify_cannot_be_asked_and_applies_once_it_can() throws Exception {
    SimOrder o = h.sim.shop().create(drafts.next());
    deliver("orders/create", payload(o));
    h.sim.shop().delete(o.id());
    deliver("orders/delete", "{\"id\":" + o.id() + "}");
    h.sim.faults().outage(h.clock.instant(), h.clock.instant().plus(Duration.ofMinutes(30)));
    process();
    assertThat(status("orders/delete")).isEqualTo(DeliveryStatus.CONFIRMING.name());
    assertThat(StoreAssertions.exported(app).get(0).get("deletedAt")).isNull();

    h.advance(Duration.ofMinutes(31));
    process();
    assertThat(status("orders/delete")).isEqualTo("PROCESSED");
    assertThat(StoreAssertions.exported(app).get(0).get("deletedAt")).isNotNull();
  }

  @Test
  void a_stale_or_undated_delivery_is_acknowledged_and_never_processed() throws Exception {
    SimOrder o = h.sim.shop().create(drafts.next());
    String body = payload(o);
    HttpResponse<String> old =
        deliver(
            "orders/create",
            body,
            h.clock.instant().minus(Duration.ofDays(30)),
            h.shop().value(),
            true);
    HttpResponse<String> undated = deliver("orders/create", body, null, h.shop().value(), true);
    assertThat(old.statusCode()).isEqualTo(200);
    assertThat(old.body()).contains("ignored");
    assertThat(undated.statusCode()).isEqualTo(200);
    process();
    assertThat(app.orders().stored().countAll(h.shop().value())).isZero();
    assertThat(count("SELECT COUNT(*) FROM webhook_deliveries")).isZero();
    assertThat(app.webhooks().stats().total(h.shop().value(), WebhookStats.Outcome.IGNORED_STALE))
        .isEqualTo(2);
  }

  @Test
  void unsigned_requests_write_nothing_and_get_a_short_json_answer() throws Exception {
    String body = "{\"id\":1,\"created_at\":\"2026-11-20T10:00:00Z\"}";
    for (String shop :
        List.of(
            "../../../../etc/passwd",
            "' OR 1=1 --",
            "x".repeat(300),
            "back\\slash\"quote.myshopify.com",
            h.shop().value())) {
      HttpResponse<String> r = deliver("orders/create", body, h.clock.instant(), shop, false);
      assertThat(r.statusCode()).as(shop).isEqualTo(401);
      JsonNode reply = json.readTree(r.body());
      assertThat(reply.get("result").asText()).doesNotContain(shop);
    }
    assertThat(count("SELECT COUNT(*) FROM webhook_counters")).isZero();
    assertThat(count("SELECT COUNT(*) FROM webhook_deliveries")).isZero();
    assertThat(app.webhooks().stats().rejected("anything")).isEqualTo(4); // all "unknown"
    assertThat(app.webhooks().stats().rejected(h.shop().value())).isEqualTo(1);
  }

  @Test
  void loose_bodies_and_headers_are_refused_or_kept_as_failures_never_made_up() throws Exception {
    SimOrder o = h.sim.shop().create(drafts.next());
    assertThat(deliver("orders/create", payload(o) + "garbage").statusCode()).isEqualTo(400);
    assertThat(deliver("orders/create", "{\"a\":1}garbage").statusCode()).isEqualTo(400);

    ObjectNode noGid = (ObjectNode) json.readTree(payload(o));
    noGid.remove("admin_graphql_api_id");
    for (JsonNode badId :
        List.of(
            json.readTree("{\"x\":1}"),
            json.readTree("[1]"),
            json.getNodeFactory().textNode("abc"),
            json.readTree("-1e999999"))) {
      noGid.set("id", badId);
      assertThat(deliver("orders/create", json.writeValueAsString(noGid)).statusCode())
          .isEqualTo(200);
    }
    ObjectNode hugeTotal = (ObjectNode) json.readTree(payload(o));
    hugeTotal.put("total_price", "1e999999");
    deliver("orders/create", json.writeValueAsString(hugeTotal));
    process();

    assertThat(count("SELECT COUNT(*) FROM orders")).isZero();
    assertThat(count("SELECT COUNT(*) FROM orders WHERE legacy_id <= 0")).isZero();
    assertThat(app.orders().failed().open(h.shop().value()))
        .hasSize(5)
        .anySatisfy(
            f -> {
              assertThat(f.orderKey()).isEqualTo(o.gid());
              assertThat(f.error()).contains("total_price is not a decimal amount");
            });

    HttpRequest longId =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.port() + "/webhooks/shopify"))
            .POST(HttpRequest.BodyPublishers.ofString(payload(o)))
            .header("X-Shopify-Topic", "orders/create")
            .header("X-Shopify-Webhook-Id", "w".repeat(300))
            .header("X-Shopify-Shop-Domain", h.shop().value())
            .header("X-Shopify-Triggered-At", h.clock.instant().toString())
            .header(
                "X-Shopify-Hmac-Sha256",
                Hmac.sign(SECRET, payload(o).getBytes(StandardCharsets.UTF_8)))
            .build();
    assertThat(http.send(longId, HttpResponse.BodyHandlers.ofString()).statusCode())
        .as("a 300-character webhook id: 400, not a 503 Shopify would retry forever")
        .isEqualTo(400);
  }

  private String status(String topic) {
    return app.service()
        .db()
        .read(
            c -> {
              try (PreparedStatement ps =
                  c.getConnection()
                      .prepareStatement(
                          "SELECT status FROM webhook_deliveries " + "WHERE topic = ?")) {
                ps.setString(1, topic);
                try (ResultSet rs = ps.executeQuery()) {
                  rs.next();
                  return rs.getString(1);
                }
              }
            });
  }

  private int count(String sql) {
    return app.service()
        .db()
        .read(
            c -> {
              try (PreparedStatement ps = c.getConnection().prepareStatement(sql);
                  ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
              }
            });
  }
}
