package dev.ordersync.orders;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/**
 * How an order and its line items become table rows: the column lists and the values in their
 * order, shared by both ways of writing them (bound parameters and PostgreSQL's COPY) and by the
 * store benchmark's COPY ceiling.
 */
public final class OrderRows {
  record Column(String name, Class<?> type) {}

  /** The columns a version of an order sets; the store adds the key and the path columns. */
  static final List<Column> ORDER_COLUMNS =
      List.of(
          new Column("legacy_id", Long.class),
          new Column("name", String.class),
          new Column("number", Integer.class),
          new Column("created_at", Instant.class),
          new Column("updated_at", Instant.class),
          new Column("processed_at", Instant.class),
          new Column("cancelled_at", Instant.class),
          new Column("cancel_reason", String.class),
          new Column("closed_at", Instant.class),
          new Column("test", Boolean.class),
          new Column("source_name", String.class),
          new Column("email", String.class),
          new Column("phone", String.class),
          new Column("financial_status", String.class),
          new Column("fulfillment_status", String.class),
          new Column("currency", String.class),
          new Column("total_price", BigDecimal.class),
          new Column("subtotal_price", BigDecimal.class),
          new Column("total_tax", BigDecimal.class),
          new Column("total_shipping", BigDecimal.class),
          new Column("total_discounts", BigDecimal.class),
          new Column("customer_id", String.class),
          new Column("customer_first_name", String.class),
          new Column("customer_last_name", String.class),
          new Column("customer_email", String.class),
          new Column("shipping_address", String.class),
          new Column("billing_address", String.class),
          new Column("shipping_lines", String.class),
          new Column("tags", String.class),
          new Column("note", String.class),
          new Column("raw_format", String.class),
          new Column("raw_payload", String.class),
          new Column("current_total_price", BigDecimal.class),
          new Column("current_subtotal_price", BigDecimal.class),
          new Column("current_total_tax", BigDecimal.class),
          new Column("current_total_discounts", BigDecimal.class),
          new Column("total_refunded", BigDecimal.class),
          new Column("presentment_currency", String.class),
          new Column("presentment_total_price", BigDecimal.class),
          new Column("presentment_current_total_price", BigDecimal.class),
          new Column("discount_codes", String.class));

  public static final String LINE_COLUMNS =
      "shop, order_id, id, position, sku, title, quantity, "
          + "current_quantity, variant_id, unit_price, discounted_total";
  static final List<Class<?>> LINE_TYPES =
      List.of(
          String.class,
          String.class,
          String.class,
          Integer.class,
          String.class,
          String.class,
          Integer.class,
          Integer.class,
          String.class,
          BigDecimal.class,
          BigDecimal.class);

  private final ObjectMapper json =
      new ObjectMapper().enable(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN);

  static final List<Class<?>> ORDER_TYPES = ORDER_COLUMNS.stream().map(Column::type).toList();

  public static String orderColumnNames() {
    StringBuilder s = new StringBuilder();
    for (Column c : ORDER_COLUMNS) {
      s.append(s.length() == 0 ? "" : ", ").append(c.name());
    }
    return s.toString();
  }

  /** The values of {@link #ORDER_COLUMNS}, in their order; times as {@code Instant}s. */
  public Object[] values(Order o) {
    Order.Customer cu = o.customer();
    Order.Current cur = o.current();
    Order.Presentment pres = o.presentment();
    return withoutNul(
        new Object[] {
          o.legacyId(),
          o.name(),
          o.number(),
          o.createdAt(),
          o.updatedAt(),
          o.processedAt(),
          o.cancelledAt(),
          o.cancelReason(),
          o.closedAt(),
          o.test(),
          o.sourceName(),
          o.email(),
          o.phone(),
          o.financialStatus(),
          o.fulfillmentStatus(),
          o.currency(),
          o.totalPrice(),
          o.subtotalPrice(),
          o.totalTax(),
          o.totalShipping(),
          o.totalDiscounts(),
          cu == null ? null : cu.id(),
          cu == null ? null : cu.firstName(),
          cu == null ? null : cu.lastName(),
          cu == null ? null : cu.email(),
          toJson(o.shippingAddress()),
          toJson(o.billingAddress()),
          toJson(o.shippingLines()),
          String.join(", ", o.tags()),
          o.note(),
          o.rawFormat().name(),
          o.rawPayload(),
          cur == null ? null : cur.totalPrice(),
          cur == null ? null : cur.subtotalPrice(),
          cur == null ? null : cur.totalTax(),
          cur == null ? null : cur.totalDiscounts(),
          cur == null ? null : cur.totalRefunded(),
          pres == null ? null : pres.currency(),
          pres == null ? null : pres.totalPrice(),
          pres == null ? null : pres.currentTotalPrice(),
          toJson(o.discountCodes())
        });
  }

  /** The values of {@link #LINE_COLUMNS} for the line item at {@code position}. */
  public static Object[] lineValues(Order o, Order.LineItem li, int position) {
    return withoutNul(
        new Object[] {
          o.shop(),
          o.id(),
          li.id(),
          position,
          li.sku(),
          li.title(),
          li.quantity(),
          li.currentQuantity(),
          li.variantId(),
          li.unitPrice(),
          li.discountedTotal()
        });
  }

  /**
   * PostgreSQL text cannot hold U+0000 (H2's can): an order whose note carried one would fail its
   * whole page, pass after pass. It is stored as U+FFFD on both databases; the raw payload, as JSON
   * text, keeps it escaped.
   */
  private static Object[] withoutNul(Object[] values) {
    for (int i = 0; i < values.length; i++) {
      if (values[i] instanceof String s && s.indexOf('\u0000') >= 0) {
        values[i] = s.replace('\u0000', '\uFFFD');
      }
    }
    return values;
  }

  private String toJson(Object value) {
    if (value == null) {
      return null;
    }
    try {
      return json.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
