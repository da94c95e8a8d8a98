package dev.ordersync.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ordersync.App;
import dev.ordersync.testing.Harness;
import dev.ordersync.testing.TestDatabases;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Issue 10: thousands of mutated real-shaped payloads through the webhook processor. No delivery
 * blocks another, nothing crashes, every payload whose mutations leave a valid order is stored,
 * every other one is in failed_orders under its GID where it has one (a digest where it has none),
 * and no delivery stays pending. Seeded: {@code -Dfuzz.seed=S} replays a failure.
 */
class WebhookProcessorFuzzTest {
  private static final String ORDER_GID = "gid://shopify/Order/";

  /** Fields a real order may lack or carry as null: removing them leaves a valid order. */
  private static final List<String> OPTIONAL =
      List.of(
          "note",
          "phone",
          "email",
          "tags",
          "customer",
          "shipping_address",
          "billing_address",
          "shipping_lines",
          "cancel_reason",
          "cancelled_at",
          "closed_at",
          "source_name",
          "subtotal_price",
          "total_tax",
          "total_discounts",
          "refunds",
          "fulfillments",
          "discount_codes",
          "note_attributes",
          "client_details",
          "total_shipping_price_set",
          "processed_at");

  private static final List<String> TEXT =
      List.of(
          "note", "name", "email", "phone", "tags", "source_name", "contact_email", "landing_site");

  private final ObjectMapper json = new ObjectMapper();

  @ParameterizedTest(name = "{0}: {1} deliveries")
  @CsvSource({"H2, 10000", "POSTGRES, 2000"})
  void mutated_deliveries_never_block_each_other_and_every_one_is_accounted_for(
      TestDatabases.Kind kind, int count) throws Exception {
    long seed = Long.getLong("fuzz.seed", 20261130L);
    Random random = new Random(seed);
    List<ObjectNode> bases = new ArrayList<>();
    for (String f : List.of("orders-create.json", "orders-updated.json", "orders-cancelled.json")) {
      bases.add((ObjectNode) json.readTree(RealDeliveriesTest.fixture(f)));
    }
    Map<String, Expected> expected = new HashMap<>();
    try (Harness h = new Harness(kind)) {
      App app = h.app();
      for (int i = 0; i < count; i++) {
        long id = 1_000_000_000_000L + i;
        ObjectNode o = bases.get(random.nextInt(bases.size())).deepCopy();
        o.put("id", id);
        o.put("admin_graphql_api_id", ORDER_GID + id);
        boolean valid = true;
        int mutations = random.nextInt(4);
        for (int m = 0; m < mutations; m++) {
          valid &= mutate(o, random);
        }
        String body =
            random.nextInt(50) == 0
                ? badBytes(json.writeValueAsString(o))
                : json.writeValueAsString(o);
        String webhookId = "fuzz-" + i;
        expected.put(webhookId, new Expected(body, valid));
        app.webhooks()
            .inbox()
            .record(
                new WebhookInbox.Delivery(
                    h.shop().value(),
                    webhookId,
                    random.nextInt(10) == 0 ? "orders/updated" : "orders/create",
                    null,
                    "2026-10",
                    null,
                    h.clock.instant(),
                    body,
                    dev.ordersync.webhook.DeliveryStatus.PENDING,
                    0));
      }

      int processed = app.webhooks().processor().processPending();

      assertThat(processed).as("seed %d", seed).isEqualTo(count);
      Set<String> stored = ids(app, "SELECT id FROM orders");
      Set<String> failed =
          ids(app, "SELECT order_key FROM failed_orders WHERE resolved_at IS " + "NULL");
      Map<String, String> status = statuses(app);
      for (Map.Entry<String, Expected> e : expected.entrySet()) {
        Expected x = e.getValue();
        String gid = gidOf(x.body());
        String key = gid != null ? gid : "sha256:" + sha256(x.body());
        String why =
            "seed "
                + seed
                + ", delivery "
                + e.getKey()
                + ": "
                + x.body().substring(0, Math.min(300, x.body().length()));
        assertThat(status.get(e.getKey())).as(why).isIn("PROCESSED", "FAILED");
        if (x.valid()) {
          assertThat(stored).as(why).contains(gid);
        }
        assertThat(stored.contains(key) || failed.contains(key)).as(why).isTrue();
        assertThat("FAILED".equals(status.get(e.getKey()))).as(why).isEqualTo(failed.contains(key));
      }
    }
  }

  private record Expected(String body, boolean valid) {}

  /** One mutation; false when it leaves a payload that is no valid order any more. */
  private boolean mutate(ObjectNode o, Random r) {
    List<String> fields = new ArrayList<>();
    o.fieldNames().forEachRemaining(fields::add);
    String field = fields.get(r.nextInt(fields.size()));
    switch (r.nextInt(9)) {
      case 0 -> {
        String f = OPTIONAL.get(r.nextInt(OPTIONAL.size()));
        o.remove(f);
        return true;
      }
      case 1 -> {
        o.remove(field);
        return OPTIONAL.contains(field)
            || !Set.of(
                        "created_at",
                        "updated_at",
                        "name",
                        "currency",
                        "total_price",
                        "line_items",
                        "id",
                        "admin_graphql_api_id")
                    .contains(field)
                && !field.startsWith("current_");
      }
      case 2 -> {
        o.set(field, wrongType(r));
        return false;
      }
      case 3 -> {
        o.put(TEXT.get(r.nextInt(TEXT.size())), "x".repeat(1 + r.nextInt(200_000)));
        return true;
      }
      case 4 -> {
        o.set("garbage_" + r.nextInt(5), nested(r, 1 + r.nextInt(60)));
        return true;
      }
      case 5 -> {
        o.put("note", "before\u0000after \uD83D\uDE00 \u202E");
        return true;
      }
      case 6 -> {
        if (!(o.path("line_items") instanceof ArrayNode lines)
            || lines.isEmpty()
            || !lines.get(0).isObject()) {
          return true;
        }
        ObjectNode line = (ObjectNode) lines.get(r.nextInt(lines.size()));
        String f = List.of("id", "title", "quantity", "price").get(r.nextInt(4));
        if (r.nextBoolean()) {
          line.remove(f);
        } else {
          line.set(f, wrongType(r));
        }
        return false;
      }
      case 7 -> {
        o.put(
            "total_price",
            List.of("1e999999", "-1e999999", "9999999999999999999", "12.5.1", "", "NaN")
                .get(r.nextInt(6)));
        return false;
      }
      default -> {
        o.set("id", wrongType(r)); // the GID still names the order
        return true;
      }
    }
  }

  private static JsonNode wrongType(Random r) {
    JsonNodeFactory f = JsonNodeFactory.instance;
    return switch (r.nextInt(5)) {
      case 0 -> f.objectNode().put("nested", "value");
      case 1 -> f.arrayNode().add(1).add("two");
      case 2 -> f.textNode("abc");
      case 3 -> f.numberNode(1e308);
      default -> f.booleanNode(true);
    };
  }

  private static JsonNode nested(Random r, int depth) {
    JsonNodeFactory f = JsonNodeFactory.instance;
    JsonNode n = f.textNode("leaf");
    for (int i = 0; i < depth; i++) {
      n = r.nextBoolean() ? f.arrayNode().add(n) : f.objectNode().set("k", n);
    }
    return n;
  }

  /** Bytes that are not UTF-8 inside a string, as the intake turns them into text (U+FFFD). */
  private static String badBytes(String body) {
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    int at = body.indexOf("\"browser_ip\":\"");
    if (at < 0) {
      return body;
    }
    at += "\"browser_ip\":\"".length(); // ASCII before it: byte and char offsets agree
    byte[] out = new byte[b.length + 4];
    System.arraycopy(b, 0, out, 0, at);
    out[at] = (byte) 0xC3;
    out[at + 1] = (byte) 0x28;
    out[at + 2] = (byte) 0xFF;
    out[at + 3] = (byte) 0xFE;
    System.arraycopy(b, at, out, at + 4, b.length - at);
    return new String(out, StandardCharsets.UTF_8);
  }

  /** The key rule of the issue: the GID, else the numeric id made a GID, else none. */
  private String gidOf(String body) {
    try {
      JsonNode n = json.readTree(body);
      JsonNode gid = n.path("admin_graphql_api_id");
      if (gid.isTextual() && gid.asText().matches("gid://shopify/Order/[1-9]\\d{0,18}")) {
        return gid.asText();
      }
      JsonNode id = n.path("id");
      return id.isIntegralNumber() && id.canConvertToLong() && id.asLong() > 0
          ? ORDER_GID + id.asLong()
          : null;
    } catch (Exception e) {
      return null;
    }
  }

  private static String sha256(String s) throws Exception {
    return HexFormat.of()
        .formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
  }

  private static Set<String> ids(App app, String sql) {
    return app.service()
        .db()
        .read(
            c -> {
              Set<String> out = new HashSet<>();
              try (PreparedStatement ps = c.getConnection().prepareStatement(sql);
                  ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                  out.add(rs.getString(1));
                }
              }
              return out;
            });
  }

  private static Map<String, String> statuses(App app) {
    return app.service()
        .db()
        .read(
            c -> {
              Map<String, String> out = new HashMap<>();
              try (PreparedStatement ps =
                      c.getConnection()
                          .prepareStatement(
                              "SELECT webhook_id, status FROM " + "webhook_deliveries");
                  ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                  out.put(rs.getString(1), rs.getString(2));
                }
              }
              return out;
            });
  }
}
