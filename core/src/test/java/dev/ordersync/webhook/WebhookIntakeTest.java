package dev.ordersync.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ordersync.App;
import dev.ordersync.AppOptions;
import dev.ordersync.config.ShopConfig;
import dev.ordersync.orders.StoredOrders;
import dev.ordersync.secrets.Hmac;
import dev.ordersync.secrets.Secret;
import dev.ordersync.service.HttpApi;
import dev.ordersync.simulator.store.OrderEvent;
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
import java.sql.ResultSetMetaData;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Issue 5: the webhook endpoint over real HTTP, its durable record, and its processing. */
class WebhookIntakeTest {
  private static final String SECRET = "current-secret";
  private static final String PREVIOUS = "previous-secret";
  private static final Duration IDLE_TIMEOUT = Duration.ofMillis(500);
  private final HttpClient http = HttpClient.newHttpClient();
  private final ObjectMapper json = new ObjectMapper();
  private final Drafts drafts = new Drafts(23);
  private Harness h;
  private App app;
  private HttpApi api;
  private int processed;

  @BeforeEach
  void start() {
    start(TestDatabases.Kind.H2);
  }

  private void start(TestDatabases.Kind db) {
    h = new Harness(db);
    ShopConfig s = h.config().shops().get(0);
    h.withConfig(
        h.config()
            .withShops(
                List.of(s.withWebhookSecrets(List.of(new Secret(SECRET), new Secret(PREVIOUS))))));
    app = h.app();
    // no worker: the test decides when deliveries are processed (a crash after the ack)
    api = app.service().httpApi(() -> {}, IDLE_TIMEOUT).start("127.0.0.1", 0);
  }

  @AfterEach
  void stop() {
    api.close();
    h.close();
  }

  private String payload(SimOrder o) throws Exception {
    return json.writeValueAsString(RestPayload.order(o, ZoneId.of("America/New_York")));
  }

  private HttpResponse<String> deliver(String topic, String body, String webhookId, String secret)
      throws Exception {
    return deliver(
        topic,
        body,
        webhookId,
        secret == null ? null : Hmac.sign(secret, body.getBytes(StandardCharsets.UTF_8)),
        h.shop().value());
  }

  private HttpResponse<String> deliver(
      String topic, String body, String webhookId, String hmac, String shop) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.port() + "/webhooks/shopify"))
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .header("Content-Type", "application/json");
    if (topic != null) {
      b.header("X-Shopify-Topic", topic);
    }
    if (webhookId != null) {
      b.header("X-Shopify-Webhook-Id", webhookId);
    }
    if (hmac != null) {
      b.header("X-Shopify-Hmac-Sha256", hmac);
    }
    if (shop != null) {
      b.header("X-Shopify-Shop-Domain", shop);
    }
    b.header("X-Shopify-API-Version", "2026-10");
    b.header("X-Shopify-Triggered-At", h.clock.instant().toString());
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private void process() {
    processed += app.webhooks().processor().processPending();
    app.webhooks().processor().confirmDeletions();
  }

  @Test
  void signatures_are_checked_against_the_current_and_the_previous_secret() throws Exception {
    SimOrder o = h.sim.shop().create(drafts.next());
    String body = payload(o);
    assertThat(deliver("orders/create", body, "w1", SECRET).statusCode()).isEqualTo(200);
    assertThat(deliver("orders/create", body, "w2", PREVIOUS).statusCode()).isEqualTo(200);
    assertThat(deliver("orders/create", body, "w3", "wrong-secret").statusCode()).isEqualTo(401);
    assertThat(
            deliver(
                    "orders/create",
                    body.replace("\"test\":false", "\"test\":true"),
                    "w4",
                    Hmac.sign(SECRET, body.getBytes(StandardCharsets.UTF_8)),
                    h.shop().value())
                .statusCode())
        .as("tampered body")
        .isEqualTo(401);
    assertThat(
            deliver(
                    "orders/create",
                    body,
                    "w5",
                    "AAAA" + Hmac.sign(SECRET, body.getBytes(StandardCharsets.UTF_8)).substring(4),
                    h.shop().value())
                .statusCode())
        .as("tampered header")
        .isEqualTo(401);
    assertThat(deliver("orders/create", body, "w6", "not base64 !!", h.shop().value()).statusCode())
        .isEqualTo(401);
    assertThat(app.webhooks().inbox().counters())
        .singleElement()
        .satisfies(c -> assertThat(c.received()).isEqualTo(2));
    assertThat(app.webhooks().stats().rejected(h.shop().value())).isEqualTo(4);
  }

  @Test
  void bad_deliveries_get_the_right_status_and_store_nothing() throws Exception {
    SimOrder o = h.sim.shop().create(drafts.next());
    String body = payload(o);
    assertThat(deliver("orders/create", body, "x", null, h.shop().value()).statusCode())
        .isEqualTo(401);
    assertThat(
            deliver(
                    "orders/create",
                    body,
                    "x",
                    Hmac.sign(SECRET, body.getBytes(StandardCharsets.UTF_8)),
                    "other.myshopify.com")
                .statusCode())
        .isEqualTo(401);
    assertThat(
            deliver(
                    "orders/create",
                    body,
                    "x",
                    Hmac.sign(SECRET, body.getBytes(StandardCharsets.UTF_8)),
                    null)
                .statusCode())
        .isEqualTo(401);
    assertThat(deliver(null, body, "x", SECRET).statusCode()).isEqualTo(400);
    assertThat(deliver("orders/create", body, null, SECRET).statusCode()).isEqualTo(400);
    assertThat(deliver("orders/create", "{not json", "x", SECRET).statusCode()).isEqualTo(400);
    assertThat(deliver("orders/create", "[1,2]", "x", SECRET).statusCode()).isEqualTo(400);
    String huge = "{\"pad\":\"" + "x".repeat(WebhookIntake.MAX_BODY_BYTES) + "\"}";
    // refused with 413 before the body is read; a client still sending may see the connection
    // reset instead of the answer (the server does not read 1 MB it has refused)
    try {
      assertThat(deliver("orders/create", huge, "x", SECRET).statusCode()).isEqualTo(413);
    } catch (java.io.IOException reset) {
      assertThat(reset).hasMessageContaining("received no bytes");
    }
    HttpResponse<String> unknown = deliver("products/create", "{\"id\":1}", "p1", SECRET);
    assertThat(unknown.statusCode()).isEqualTo(200);
    assertThat(unknown.body()).contains("ignored topic");
    process();
    assertThat(app.orders().stored().countAll(h.shop().value())).isZero();
    // and the service keeps serving
    assertThat(deliver("orders/create", body, "ok", SECRET).statusCode()).isEqualTo(200);
    process();
    assertThat(app.orders().stored().countAll(h.shop().value())).isEqualTo(1);
  }

  /**
   * Deliveries arriving at once are recorded in shared transactions (group commit): 16 senders each
   * delivering the same 40 webhook ids at the same time record each id once, count every other copy
   * as a duplicate, and every 200 comes after its row is committed.
   */
  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.EnumSource(TestDatabases.Kind.class)
  void concurrent_copies_of_the_same_deliveries_are_recorded_once_each(TestDatabases.Kind db)
      throws Exception {
    stop();
    start(db);
    List<String> bodies = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      bodies.add(payload(h.sim.shop().create(drafts.next())));
    }
    int senders = 16;
    java.util.concurrent.ExecutorService pool =
        java.util.concurrent.Executors.newFixedThreadPool(senders);
    java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
    List<java.util.concurrent.Future<List<String>>> answers = new ArrayList<>();
    for (int s = 0; s < senders; s++) {
      answers.add(
          pool.submit(
              () -> {
                start.await();
                List<String> out = new ArrayList<>();
                for (int i = 0; i < bodies.size(); i++) {
                  HttpResponse<String> r =
                      deliver("orders/create", bodies.get(i), "same-" + i, SECRET);
                  assertThat(r.statusCode()).isEqualTo(200);
                  out.add(r.body());
                }
                return out;
              }));
    }
    start.countDown();
    int recorded = 0;
    int duplicates = 0;
    for (var f : answers) {
      for (String body : f.get()) {
        if (body.contains("duplicate")) {
          duplicates++;
        } else {
          recorded++;
        }
      }
    }
    pool.shutdown();
    assertThat(recorded).isEqualTo(40);
    assertThat(duplicates).isEqualTo(40 * (senders - 1));
    WebhookInbox.Counters c = app.webhooks().inbox().counters().get(0);
    assertThat(c.received()).isEqualTo(40);
    assertThat(c.duplicates()).isEqualTo(40 * (senders - 1));
    process();
    assertThat(app.orders().stored().countAll(h.shop().value())).isEqualTo(40);
  }

  /**
   * Clients that send half a delivery and stall hold no delivery and no thread for long: each is
   * answered or dropped at the idle timeout, nothing of theirs is stored, and meanwhile the service
   * serves everyone else.
   */
  @Test
  void slow_clients_store_nothing_and_do_not_stop_the_service() throws Exception {
    SimOrder o = h.sim.shop().create(drafts.next());
    String body = payload(o);
    List<java.net.Socket> stalled = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      java.net.Socket s = new java.net.Socket("127.0.0.1", api.port());
      // twenty times the idle timeout, and a third of Jetty's default (30 s), which applied
      // before the service set its own: a read that times out fails the test
      s.setSoTimeout(10_000);
      String head =
          "POST /webhooks/shopify HTTP/1.1\r\nHost: 127.0.0.1\r\n"
              + "Content-Type: application/json\r\nContent-Length: "
              + body.length()
              + "\r\n"
              + "X-Shopify-Topic: orders/create\r\nX-Shopify-Shop-Domain: "
              + h.shop()
              + "\r\n"
              + "X-Shopify-Webhook-Id: slow-"
              + i
              + "\r\nX-Shopify-Hmac-Sha256: "
              + Hmac.sign(SECRET, body.getBytes(StandardCharsets.UTF_8))
              + "\r\n\r\n"
              + body.substring(0, 100);
      s.getOutputStream().write(head.getBytes(StandardCharsets.UTF_8));
      s.getOutputStream().flush();
      stalled.add(s);
    }
    assertThat(deliver("orders/create", body, "prompt", SECRET).statusCode()).isEqualTo(200);
    for (java.net.Socket s : stalled) {
      assertThat(statusLine(s))
          .as("the answer to a stalled client")
          .isIn("HTTP/1.1 408 Request Timeout", "(closed)");
      s.close();
    }
    process();
    assertThat(app.orders().stored().countAll(h.shop().value())).isEqualTo(1);
    assertThat(app.webhooks().inbox().counters())
        .singleElement()
        .satisfies(c -> assertThat(c.received()).isEqualTo(1));
  }

  /** The first line the server sent, or "(closed)" when it dropped the connection instead. */
  private static String statusLine(java.net.Socket s) throws java.io.IOException {
    StringBuilder line = new StringBuilder();
    try {
      for (int b = s.getInputStream().read(); b != -1 && b != '\n'; b = s.getInputStream().read()) {
        line.append((char) b);
      }
    } catch (java.net.SocketException reset) {
      return "(closed)";
    }
    return line.length() == 0 ? "(closed)" : line.toString().strip();
  }

  @Test
  void without_its_database_the_intake_answers_503_so_shopify_delivers_again() throws Exception {
    SimOrder o = h.sim.shop().create(drafts.next());
    app.service().db().close();
    HttpResponse<String> r = deliver("orders/create", payload(o), "db-down", SECRET);
    assertThat(r.statusCode()).isEqualTo(503);
    assertThat(r.body()).contains("deliver again later");
  }

  @Test
  void duplicates_are_acknowledged_and_ignored() throws Exception {
    SimOrder o = h.sim.shop().create(drafts.next());
    String body = payload(o);
    for (int i = 0; i < 3; i++) {
      HttpResponse<String> r = deliver("orders/create", body, "same-id", SECRET);
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.body()).contains(i == 0 ? "recorded" : "duplicate");
    }
    process();
    assertThat(processed).isEqualTo(1);
    assertThat(app.webhooks().inbox().counters().get(0).duplicates()).isEqualTo(2);
  }

  @Test
  void reordered_and_stale_deliveries_never_overwrite_a_newer_version() throws Exception {
    SimOrder v1 = h.sim.shop().create(drafts.next());
    h.advance(Duration.ofMinutes(3));
    SimOrder v2 =
        h.sim
            .shop()
            .update(
                v1.id(),
                o -> o.withUpdate(h.sim.shop().now(), "PAID", "FULFILLED", "v2", o.tags()),
                OrderEvent.Topic.ORDERS_UPDATED)
            .orElseThrow();
    h.advance(Duration.ofMinutes(3));
    SimOrder v3 =
        h.sim
            .shop()
            .update(
                v1.id(),
                o -> o.cancelled(h.sim.shop().now(), "FRAUD"),
                OrderEvent.Topic.ORDERS_CANCELLED)
            .orElseThrow();
    deliver("orders/cancelled", payload(v3), "c", SECRET);
    process();
    deliver("orders/create", payload(v1), "a", SECRET);
    deliver("orders/updated", payload(v2), "b", SECRET);
    process();
    Map<String, Object> row = StoreAssertions.exported(app).get(0);
    assertThat(row.get("updatedAt")).isEqualTo(v3.updatedAt().toString());
    assertThat(row.get("cancelledAt")).isEqualTo(v3.cancelledAt().toString());
    assertThat(row.get("versionsStored")).isEqualTo(1);
  }

  @Test
  void a_crash_between_acknowledgement_and_processing_loses_nothing() throws Exception {
    List<SimOrder> orders = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      orders.add(h.sim.shop().create(drafts.next()));
      assertThat(deliver("orders/create", payload(orders.get(i)), "k" + i, SECRET).statusCode())
          .isEqualTo(200);
    }
    api.close();
    app.close(); // killed before any processing
    App restarted = h.app();
    assertThat(restarted.webhooks().processor().processPending()).isEqualTo(5);
    assertThat(new StoredOrders(restarted.service().db()).countAll(h.shop().value())).isEqualTo(5);
    api = restarted.service().httpApi(() -> {}).start("127.0.0.1", 0);
  }

  @Test
  void an_order_deleted_in_shopify_is_marked_deleted() throws Exception {
    SimOrder o = h.sim.shop().create(drafts.next());
    deliver("orders/create", payload(o), "d1", SECRET);
    h.sim.shop().delete(o.id());
    deliver("orders/delete", "{\"id\":" + o.id() + "}", "d2", SECRET);
    process();
    assertThat(StoreAssertions.exported(app).get(0).get("deletedAt")).isNotNull();
    assertThat(app.orders().stored().countAll(h.shop().value())).isZero();
  }

  @Test
  void a_deletion_that_overtakes_the_create_is_not_undone_by_it() throws Exception {
    SimOrder o = h.sim.shop().create(drafts.next());
    h.sim.shop().delete(o.id());
    deliver("orders/delete", "{\"id\":" + o.id() + "}", "early-delete", SECRET);
    process();
    deliver("orders/create", payload(o), "late-create", SECRET);
    process();
    assertThat(StoreAssertions.exported(app))
        .singleElement()
        .satisfies(r -> assertThat(r.get("deletedAt")).isNotNull());
    assertThat(app.orders().stored().countAll(h.shop().value())).isZero();
  }

  @Test
  void the_same_version_by_webhook_and_by_poll_gives_identical_rows() throws Exception {
    for (int i = 0; i < 12; i++) {
      Instant at = Harness.START.minus(Duration.ofMinutes(30)).plusSeconds(i * 60L);
      h.sim.shop().create(drafts.next(), at, at);
    }
    app.sync().once(h.shop()); // this store by poll; a second one by webhooks only
    List<String> bodies = new ArrayList<>();
    for (SimOrder o : h.sim.shop().allOrders()) {
      bodies.add(payload(o));
    }
    try (App viaHooks =
        App.open(
            h.config(),
            TestDatabases.fresh(TestDatabases.Kind.H2),
            new AppOptions(h.clock, h.clock::advance, dev.ordersync.sync.CrashPoints.NONE, 1))) {
      HttpApi second = viaHooks.service().httpApi(() -> {}).start("127.0.0.1", 0);
      try {
        int n = 0;
        for (String body : bodies) {
          HttpRequest req =
              HttpRequest.newBuilder(
                      URI.create("http://127.0.0.1:" + second.port() + "/webhooks/shopify"))
                  .POST(HttpRequest.BodyPublishers.ofString(body))
                  .header("X-Shopify-Topic", "orders/create")
                  .header("X-Shopify-Webhook-Id", UUID.randomUUID().toString())
                  .header("X-Shopify-Shop-Domain", h.shop().value())
                  .header("X-Shopify-Triggered-At", h.clock.instant().toString())
                  .header(
                      "X-Shopify-Hmac-Sha256",
                      Hmac.sign(SECRET, body.getBytes(StandardCharsets.UTF_8)))
                  .build();
          assertThat(http.send(req, HttpResponse.BodyHandlers.ofString()).statusCode())
              .isEqualTo(200);
          n++;
        }
        assertThat(viaHooks.webhooks().processor().processPending()).isEqualTo(n);
      } finally {
        second.close();
      }
      assertThat(rows(viaHooks, "orders")).isEqualTo(rows(app, "orders"));
      assertThat(rows(viaHooks, "order_line_items")).isEqualTo(rows(app, "order_line_items"));
    }
  }

  /** Every column but the ones that say how and when a row was stored. */
  private static List<Map<String, Object>> rows(App app, String table) {
    return app.service()
        .db()
        .read(
            c -> {
              List<Map<String, Object>> out = new ArrayList<>();
              try (PreparedStatement ps =
                      c.getConnection()
                          .prepareStatement("SELECT * FROM " + table + " ORDER BY 1, 2, 3");
                  ResultSet rs = ps.executeQuery()) {
                ResultSetMetaData md = rs.getMetaData();
                while (rs.next()) {
                  Map<String, Object> row = new LinkedHashMap<>();
                  for (int i = 1; i <= md.getColumnCount(); i++) {
                    String col = md.getColumnLabel(i).toLowerCase();
                    if (List.of(
                            "raw_format",
                            "raw_payload",
                            "first_path",
                            "last_path",
                            "first_stored_at",
                            "last_stored_at")
                        .contains(col)) {
                      continue;
                    }
                    Object v = rs.getObject(i);
                    row.put(col, v instanceof java.math.BigDecimal d ? d.stripTrailingZeros() : v);
                  }
                  out.add(row);
                }
              }
              return out;
            });
  }
}
