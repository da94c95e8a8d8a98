package dev.ordersync.orders;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.List;

/**
 * How an order and its line items become table rows: the column lists and the values in their
 * order, shared by both ways of writing them (bound parameters and PostgreSQL's COPY) and by
 * the store benchmark's COPY ceiling.
 */
public final class OrderRows {
  record Column(String name, int sqlType) {}

  /** The columns a version of an order sets; the store adds the key and the path columns. */
  static final List<Column> ORDER_COLUMNS = List.of(
      new Column("legacy_id", Types.BIGINT), new Column("name", Types.VARCHAR),
      new Column("number", Types.INTEGER), new Column("created_at", Types.TIMESTAMP_WITH_TIMEZONE),
      new Column("updated_at", Types.TIMESTAMP_WITH_TIMEZONE),
      new Column("processed_at", Types.TIMESTAMP_WITH_TIMEZONE),
      new Column("cancelled_at", Types.TIMESTAMP_WITH_TIMEZONE),
      new Column("cancel_reason", Types.VARCHAR),
      new Column("closed_at", Types.TIMESTAMP_WITH_TIMEZONE), new Column("test", Types.BOOLEAN),
      new Column("source_name", Types.VARCHAR), new Column("email", Types.VARCHAR),
      new Column("phone", Types.VARCHAR), new Column("financial_status", Types.VARCHAR),
      new Column("fulfillment_status", Types.VARCHAR), new Column("currency", Types.VARCHAR),
      new Column("total_price", Types.NUMERIC), new Column("subtotal_price", Types.NUMERIC),
      new Column("total_tax", Types.NUMERIC), new Column("total_shipping", Types.NUMERIC),
      new Column("total_discounts", Types.NUMERIC), new Column("customer_id", Types.VARCHAR),
      new Column("customer_first_name", Types.VARCHAR),
      new Column("customer_last_name", Types.VARCHAR),
      new Column("customer_email", Types.VARCHAR), new Column("shipping_address", Types.VARCHAR),
      new Column("billing_address", Types.VARCHAR), new Column("shipping_lines", Types.VARCHAR),
      new Column("tags", Types.VARCHAR), new Column("note", Types.VARCHAR),
      new Column("raw_format", Types.VARCHAR), new Column("raw_payload", Types.VARCHAR));

  public static final String LINE_COLUMNS = "shop, order_id, id, position, sku, title, quantity, "
      + "current_quantity, variant_id, unit_price";

  private final ObjectMapper json =
      new ObjectMapper().enable(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN);

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
    return withoutNul(new Object[] {o.legacyId(), o.name(), o.number(), o.createdAt(),
        o.updatedAt(), o.processedAt(), o.cancelledAt(), o.cancelReason(), o.closedAt(), o.test(),
        o.sourceName(), o.email(), o.phone(), o.financialStatus(), o.fulfillmentStatus(),
        o.currency(), o.totalPrice(), o.subtotalPrice(), o.totalTax(), o.totalShipping(),
        o.totalDiscounts(), cu == null ? null : cu.id(), cu == null ? null : cu.firstName(),
        cu == null ? null : cu.lastName(), cu == null ? null : cu.email(),
        toJson(o.shippingAddress()), toJson(o.billingAddress()), toJson(o.shippingLines()),
        String.join(", ", o.tags()), o.note(), o.rawFormat().name(), o.rawPayload()});
  }

  /** The values of {@link #LINE_COLUMNS} for the line item at {@code position}. */
  public static Object[] lineValues(Order o, Order.LineItem li, int position) {
    return withoutNul(new Object[] {o.shop(), o.id(), li.id(), position, li.sku(), li.title(),
        li.quantity(), li.currentQuantity(), li.variantId(), li.unitPrice()});
  }

  /**
   * PostgreSQL text cannot hold U+0000 (H2's can): an order whose note carried one would fail its
   * whole page, pass after pass. It is stored as U+FFFD on both databases; the raw payload, as
   * JSON text, keeps it escaped.
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

  /** Binds the values of {@link #ORDER_COLUMNS} from parameter {@code first}; the next index. */
  int bindOrder(PreparedStatement ps, Order o, int first) throws SQLException {
    Object[] v = values(o);
    for (int k = 0; k < v.length; k++) {
      bind(ps, first + k, v[k], ORDER_COLUMNS.get(k).sqlType());
    }
    return first + v.length;
  }

  static void bind(PreparedStatement ps, int i, Object v, int sqlTypeIfNull)
      throws SQLException {
    if (v == null) {
      ps.setNull(i, sqlTypeIfNull);
    } else if (v instanceof Instant t) {
      ps.setObject(i, OrderStore.odt(t));
    } else {
      ps.setObject(i, v);
    }
  }
}
