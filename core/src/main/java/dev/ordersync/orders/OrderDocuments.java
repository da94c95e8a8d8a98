package dev.ordersync.orders;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ordersync.db.Database;
import dev.ordersync.db.Times;
import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;
import org.jdbi.v3.core.Handle;

/**
 * Stored orders as the OMS reads them: one JSON object each (what {@code orders export} prints and
 * the API serves), with the original and current totals, currencies, statuses, deletion, customer,
 * addresses, shipping lines and line items, and how and when it was stored.
 */
public final class OrderDocuments {
  private static final String COLUMNS =
      "o.*, li.id AS li_id, li.sku AS li_sku, "
          + "li.title AS li_title, li.quantity AS li_quantity, "
          + "li.current_quantity AS li_current_quantity, li.variant_id AS li_variant_id, "
          + "li.unit_price AS li_unit_price, li.discounted_total AS li_discounted_total ";
  private static final String LINES =
      "LEFT JOIN order_line_items li ON li.shop = o.shop AND li.order_id = o.id ";
  private static final String SELECT = "SELECT " + COLUMNS + "FROM orders o " + LINES;

  private final Database db;
  private final ObjectMapper json = new ObjectMapper();

  public OrderDocuments(Database db) {
    this.db = db;
  }

  /** Every stored order, by shop, oldest first, streamed. */
  public void export(Consumer<Map<String, Object>> out) {
    db.read(
        h -> {
          stream(h, SELECT + "ORDER BY o.shop, o.created_at, o.id, li.position", Map.of(), out);
          return null;
        });
  }

  /**
   * The stored orders of one customer of a shop ({@code customers/data_request}): by the customer's
   * GID, oldest first.
   */
  public void exportCustomer(String shop, String customerGid, Consumer<Map<String, Object>> out) {
    db.read(
        h -> {
          stream(
              h,
              SELECT
                  + "WHERE o.shop = :shop AND o.customer_id = :customer "
                  + "ORDER BY o.created_at, o.id, li.position",
              Map.of("shop", shop, "customer", customerGid),
              out);
          return null;
        });
  }

  /** One stored order by GID (GIDs are unique across shops). */
  public Optional<Map<String, Object>> one(String gid) {
    List<Map<String, Object>> found = new ArrayList<>();
    db.read(
        h -> {
          stream(
              h, SELECT + "WHERE o.id = :id ORDER BY li.position", Map.of("id", gid), found::add);
          return null;
        });
    return found.stream().findFirst();
  }

  /** A numbered change, with its order as stored now (null for a deletion). */
  public record ChangedOrder(ChangeLog.Change change, Map<String, Object> order) {}

  /**
   * The changes after a position, oldest first, each with its order. One statement that starts from
   * the change log's range, so that each order and its lines are found by key whatever the planner
   * believes of the tables' sizes: looking orders up by a list of keys let PostgreSQL, before its
   * first ANALYZE of a freshly filled table, scan every order for each page.
   */
  public List<ChangedOrder> changesAfter(Handle h, long after, int limit, String shop) {
    String changes =
        "SELECT * FROM order_changes WHERE seq > :after"
            + (shop == null ? "" : " AND shop = :shop")
            + " ORDER BY seq LIMIT :limit";
    String sql =
        "SELECT c.seq AS c_seq, c.shop AS c_shop, c.order_id AS c_order_id, c.kind AS c_kind, "
            + "c.updated_at AS c_updated_at, c.stored_at AS c_stored_at, c.path AS c_path, "
            + COLUMNS
            + "FROM ("
            + changes
            + ") c LEFT JOIN orders o ON o.id = c.order_id AND o.shop = c.shop "
            + "AND c.kind <> 'DELETED' "
            + LINES
            + "ORDER BY c.seq, li.position";
    Map<String, Object> binds = new LinkedHashMap<>();
    binds.put("after", after);
    binds.put("limit", limit);
    if (shop != null) {
      binds.put("shop", shop);
    }
    List<ChangedOrder> out = new ArrayList<>();
    stream(
        h,
        sql,
        binds,
        "c_seq",
        rs -> new ChangedOrder(change(rs), rs.getString("id") == null ? null : order(rs)),
        c -> lines(c.order()),
        out::add);
    return out;
  }

  /** Rows of orders joined with their line items, one document per order. */
  private void stream(
      Handle h, String sql, Map<String, Object> binds, Consumer<Map<String, Object>> out) {
    stream(h, sql, binds, "id", this::order, OrderDocuments::lines, out);
  }

  /**
   * Rows joined with line items, grouped by the {@code key} column: a group is started by its first
   * row, its lines are added to it, and it is passed on when the next group starts.
   */
  private <G> void stream(
      Handle h,
      String sql,
      Map<String, Object> binds,
      String key,
      RowReader<G> start,
      Function<G, List<Map<String, Object>>> linesOf,
      Consumer<G> out) {
    var q = h.createQuery(sql).setFetchSize(1_000);
    binds.forEach(q::bind);
    List<G> current = new ArrayList<>(1);
    String[] currentKey = new String[1];
    q.map(
            (rs, ctx) -> {
              String k = rs.getString(key);
              if (current.isEmpty() || !k.equals(currentKey[0])) {
                if (!current.isEmpty()) {
                  out.accept(current.remove(0));
                }
                current.add(start.read(rs));
                currentKey[0] = k;
              }
              List<Map<String, Object>> lines = linesOf.apply(current.get(0));
              if (lines != null && rs.getString("li_id") != null) {
                lines.add(line(rs));
              }
              return 0;
            })
        .forEach(x -> {});
    if (!current.isEmpty()) {
      out.accept(current.get(0));
    }
  }

  @FunctionalInterface
  private interface RowReader<G> {
    G read(ResultSet rs) throws SQLException;
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> lines(Map<String, Object> order) {
    return order == null ? null : (List<Map<String, Object>>) order.get("lineItems");
  }

  private static ChangeLog.Change change(ResultSet rs) throws SQLException {
    return new ChangeLog.Change(
        rs.getLong("c_seq"),
        rs.getString("c_shop"),
        rs.getString("c_order_id"),
        ChangeKind.valueOf(rs.getString("c_kind")),
        Times.instant(rs, "c_updated_at"),
        Times.instant(rs, "c_stored_at"),
        StorePath.valueOf(rs.getString("c_path")));
  }

  private Map<String, Object> order(ResultSet rs) throws SQLException {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("shop", rs.getString("shop"));
    m.put("id", rs.getString("id"));
    m.put("legacyId", rs.getLong("legacy_id"));
    m.put("name", rs.getString("name"));
    m.put("createdAt", text(Times.instant(rs, "created_at")));
    m.put("updatedAt", text(Times.instant(rs, "updated_at")));
    m.put("processedAt", text(Times.instant(rs, "processed_at")));
    m.put("cancelledAt", text(Times.instant(rs, "cancelled_at")));
    m.put("cancelReason", rs.getString("cancel_reason"));
    m.put("closedAt", text(Times.instant(rs, "closed_at")));
    m.put("deletedAt", text(Times.instant(rs, "deleted_at")));
    m.put("test", rs.getBoolean("test"));
    m.put("sourceName", rs.getString("source_name"));
    m.put("email", rs.getString("email"));
    m.put("phone", rs.getString("phone"));
    m.put("financialStatus", rs.getString("financial_status"));
    m.put("fulfillmentStatus", rs.getString("fulfillment_status"));
    m.put("currency", rs.getString("currency"));
    m.put("totalPrice", plain(rs.getBigDecimal("total_price")));
    m.put("subtotalPrice", plain(rs.getBigDecimal("subtotal_price")));
    m.put("totalTax", plain(rs.getBigDecimal("total_tax")));
    m.put("totalShipping", plain(rs.getBigDecimal("total_shipping")));
    m.put("totalDiscounts", plain(rs.getBigDecimal("total_discounts")));
    m.put("currentTotalPrice", plain(rs.getBigDecimal("current_total_price")));
    m.put("currentSubtotalPrice", plain(rs.getBigDecimal("current_subtotal_price")));
    m.put("currentTotalTax", plain(rs.getBigDecimal("current_total_tax")));
    m.put("currentTotalDiscounts", plain(rs.getBigDecimal("current_total_discounts")));
    m.put("totalRefunded", plain(rs.getBigDecimal("total_refunded")));
    m.put("presentmentCurrency", rs.getString("presentment_currency"));
    m.put("presentmentTotalPrice", plain(rs.getBigDecimal("presentment_total_price")));
    m.put(
        "presentmentCurrentTotalPrice", plain(rs.getBigDecimal("presentment_current_total_price")));
    m.put("discountCodes", tree(rs.getString("discount_codes")));
    String tags = rs.getString("tags");
    m.put(
        "tags",
        tags == null || tags.isBlank() ? List.of() : Arrays.stream(tags.split(", ")).toList());
    m.put("note", rs.getString("note"));
    String customerId = rs.getString("customer_id");
    if (customerId == null) {
      m.put("customer", null);
    } else {
      Map<String, Object> c = new LinkedHashMap<>();
      c.put("id", customerId);
      c.put("firstName", rs.getString("customer_first_name"));
      c.put("lastName", rs.getString("customer_last_name"));
      c.put("email", rs.getString("customer_email"));
      m.put("customer", c);
    }
    m.put("shippingAddress", tree(rs.getString("shipping_address")));
    m.put("billingAddress", tree(rs.getString("billing_address")));
    m.put("shippingLines", tree(rs.getString("shipping_lines")));
    m.put("lineItems", new ArrayList<Map<String, Object>>());
    m.put("firstPath", rs.getString("first_path"));
    m.put("firstStoredAt", text(Times.instant(rs, "first_stored_at")));
    m.put("lastPath", rs.getString("last_path"));
    m.put("lastStoredAt", text(Times.instant(rs, "last_stored_at")));
    m.put("versionsStored", rs.getInt("versions_stored"));
    return m;
  }

  private static Map<String, Object> line(ResultSet rs) throws SQLException {
    Map<String, Object> l = new LinkedHashMap<>();
    l.put("id", rs.getString("li_id"));
    l.put("sku", rs.getString("li_sku"));
    l.put("title", rs.getString("li_title"));
    l.put("quantity", rs.getInt("li_quantity"));
    l.put("currentQuantity", rs.getInt("li_current_quantity"));
    l.put("variantId", rs.getString("li_variant_id"));
    l.put("unitPrice", plain(rs.getBigDecimal("li_unit_price")));
    l.put("discountedTotal", plain(rs.getBigDecimal("li_discounted_total")));
    return l;
  }

  private JsonNode tree(String jsonText) {
    if (jsonText == null) {
      return null;
    }
    try {
      return json.readTree(jsonText);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a stored JSON column is not JSON", e);
    }
  }

  private static String plain(BigDecimal d) {
    return d == null ? null : d.stripTrailingZeros().toPlainString();
  }

  private static String text(Instant t) {
    return t == null ? null : t.toString();
  }
}
