package dev.ordersync.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ordersync.App;
import dev.ordersync.testing.Harness;
import dev.ordersync.testing.StoreAssertions;
import dev.ordersync.testing.TestDatabases;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Deliveries shaped after captures of real ones (the fields, types and nulls live shops send: ids
 * above 2^53, empty-string emails, a null fulfillment status, a custom line item without a variant,
 * refunds, an {@code order_edit} body), values written for these tests.
 */
class RealDeliveriesTest {
  private static final String ORDER = "gid://shopify/Order/9007199254740993";

  @ParameterizedTest
  @EnumSource(TestDatabases.Kind.class)
  void create_updated_cancelled_and_edited_are_stored_as_the_order_they_describe(
      TestDatabases.Kind kind) throws IOException {
    try (Harness h = new Harness(kind)) {
      App app = h.app();

      deliver(app, h, "orders/create", fixture("orders-create.json"));
      Map<String, Object> created = onlyOrder(app);
      assertThat(created.get("id")).isEqualTo(ORDER);
      assertThat(created.get("legacyId")).isEqualTo(9007199254740993L);
      assertThat(created.get("name")).isEqualTo("#1042");
      assertThat(created.get("createdAt")).isEqualTo("2026-11-26T14:14:03Z");
      assertThat(created.get("financialStatus")).isEqualTo("PAID");
      assertThat(created.get("fulfillmentStatus")).isEqualTo("UNFULFILLED");
      assertThat(created.get("totalPrice")).isEqualTo("96.72");
      assertThat(created.get("currency")).isEqualTo("USD");
      assertThat(created.get("currentTotalPrice")).isEqualTo("96.72");
      assertThat(created.get("totalRefunded")).isEqualTo("0");
      assertThat(created.get("presentmentCurrency")).isEqualTo("EUR");
      assertThat(created.get("presentmentTotalPrice")).isEqualTo("88.98");
      assertThat(created.get("discountCodes").toString()).isEqualTo("[\"WELCOME10\"]");
      assertThat(created.get("lineItems").toString())
          .contains("discountedTotal=57.19")
          .contains("discountedTotal=30");
      assertThat(column(app, "email")).isNull(); // "" means none, as the poll has it
      assertThat(column(app, "tags")).isEqualTo("wholesale, vip");
      assertThat(column(app, "shipping_address"))
          .contains("\"city\":\"Portland\"")
          .contains("\"provinceCode\":\"ME\"");
      assertThat(column(app, "customer_id")).isEqualTo("gid://shopify/Customer/9007199254741234");
      assertThat(lines(app))
          .containsExactly(
              "gid://shopify/LineItem/9007199254745001|LS-M-WHT|Linen Shirt|2|2"
                  + "|gid://shopify/ProductVariant/9007199254748001|32",
              "gid://shopify/LineItem/9007199254745002|null|Gift wrapping|1|1|null|30");

      deliver(app, h, "orders/updated", fixture("orders-updated.json"));
      Map<String, Object> updated = onlyOrder(app);
      assertThat(updated.get("financialStatus")).isEqualTo("PARTIALLY_REFUNDED");
      assertThat(updated.get("fulfillmentStatus")).isEqualTo("PARTIALLY_FULFILLED");
      assertThat(updated.get("currentTotalPrice")).isEqualTo("58.16");
      assertThat(updated.get("totalRefunded")).isEqualTo("38.56");
      assertThat(updated.get("presentmentCurrentTotalPrice")).isEqualTo("53.51");
      assertThat(column(app, "email")).isEqualTo("maren.holt@example.com");
      assertThat(lines(app).get(0)).contains("|2|1|");

      deliver(app, h, "orders/cancelled", fixture("orders-cancelled.json"));
      Map<String, Object> cancelled = onlyOrder(app);
      // the cancellation is older than the refund above: the newer version stays
      assertThat(cancelled.get("financialStatus")).isEqualTo("PARTIALLY_REFUNDED");

      deliver(app, h, "orders/edited", fixture("orders-edited.json"));
      assertThat(app.orders().failed().open(h.shop().value())).isEmpty();
      assertThat(StoreAssertions.exported(app)).hasSize(1);
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabases.Kind.class)
  void a_cancellation_is_stored_with_its_reason_and_zeroed_quantities(TestDatabases.Kind kind)
      throws IOException {
    try (Harness h = new Harness(kind)) {
      App app = h.app();
      deliver(app, h, "orders/create", fixture("orders-create.json"));
      deliver(app, h, "orders/cancelled", fixture("orders-cancelled.json"));
      Map<String, Object> cancelled = onlyOrder(app);
      assertThat(cancelled.get("cancelledAt")).isEqualTo("2026-11-26T23:40:00Z");
      assertThat(cancelled.get("financialStatus")).isEqualTo("REFUNDED");
      assertThat(column(app, "cancel_reason")).isEqualTo("CUSTOMER");
      assertThat(column(app, "note")).isEqualTo("Customer changed their mind");
      assertThat(lines(app)).allSatisfy(l -> assertThat(l).contains("|0|"));
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabases.Kind.class)
  void a_rest_value_graphql_does_not_have_is_stored_as_none_not_invented(TestDatabases.Kind kind)
      throws IOException {
    try (Harness h = new Harness(kind)) {
      App app = h.app();
      deliver(
          app,
          h,
          "orders/create",
          fixture("orders-create.json")
              .replace("\"fulfillment_status\": null", "\"fulfillment_status\": \"pending\"")
              .replace("\"financial_status\": \"paid\"", "\"financial_status\": \"gifted\""));
      Map<String, Object> stored = onlyOrder(app);
      assertThat(stored.get("fulfillmentStatus")).isNull();
      assertThat(stored.get("financialStatus")).isNull();
    }
  }

  static String fixture(String name) throws IOException {
    try (InputStream in = RealDeliveriesTest.class.getResourceAsStream("/webhooks/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static void deliver(App app, Harness h, String topic, String body) {
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
    app.webhooks().processor().processPending();
  }

  private static Map<String, Object> onlyOrder(App app) {
    List<Map<String, Object>> rows = StoreAssertions.exported(app);
    assertThat(rows).hasSize(1);
    return new LinkedHashMap<>(rows.get(0));
  }

  private static String column(App app, String column) {
    return app.service()
        .db()
        .read(
            c -> {
              try (PreparedStatement ps =
                      c.getConnection().prepareStatement("SELECT " + column + " FROM orders");
                  ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getString(1);
              }
            });
  }

  private static List<String> lines(App app) {
    return app.service()
        .db()
        .read(
            c -> {
              List<String> out = new ArrayList<>();
              try (PreparedStatement ps =
                      c.getConnection()
                          .prepareStatement(
                              "SELECT id, sku, title, quantity, "
                                  + "current_quantity, variant_id, unit_price FROM order_line_items ORDER BY position");
                  ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                  out.add(
                      rs.getString(1)
                          + "|"
                          + rs.getString(2)
                          + "|"
                          + rs.getString(3)
                          + "|"
                          + rs.getInt(4)
                          + "|"
                          + rs.getInt(5)
                          + "|"
                          + rs.getString(6)
                          + "|"
                          + rs.getBigDecimal(7).stripTrailingZeros().toPlainString());
                }
              }
              return out;
            });
  }
}
