package dev.ordersync.orders;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one place orders are written. Idempotent and monotonic (invariant 4): keyed by (shop, GID);
 * a version replaces the stored one only when its {@code updatedAt} is newer, whatever path
 * brought either. Works inside the caller's transaction so that a sync pass can commit a page of
 * orders and its watermark together.
 */
public final class OrderStore {
  private static final String[] COLUMNS = {"legacy_id", "name", "number", "created_at",
      "updated_at", "processed_at", "cancelled_at", "cancel_reason", "closed_at", "test",
      "source_name", "email", "phone", "financial_status", "fulfillment_status", "currency",
      "total_price", "subtotal_price", "total_tax", "total_shipping", "total_discounts",
      "customer_id", "customer_first_name", "customer_last_name", "customer_email",
      "shipping_address", "billing_address", "shipping_lines", "tags", "note", "raw_format",
      "raw_payload"};
  private static final String INSERT = "INSERT INTO orders (shop, id, "
      + String.join(", ", COLUMNS) + ", first_path, first_stored_at, last_path, last_stored_at, "
      + "versions_stored, deleted_at) VALUES (?, ?, " + "?, ".repeat(COLUMNS.length)
      + "?, ?, ?, ?, 1, NULL)";
  private static final String UPDATE = "UPDATE orders SET " + String.join(" = ?, ", COLUMNS)
      + " = ?, last_path = ?, last_stored_at = ?, versions_stored = versions_stored + 1 "
      + "WHERE shop = ? AND id = ?";
  private static final String INSERT_LINE = "INSERT INTO order_line_items (shop, order_id, id, "
      + "position, sku, title, quantity, current_quantity, variant_id, unit_price) "
      + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
  private static final String DELETE_LINES =
      "DELETE FROM order_line_items WHERE shop = ? AND order_id = ?";

  private volatile Boolean postgres;
  private final ObjectMapper json = new ObjectMapper()
      .enable(com.fasterxml.jackson.core.JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN);

  /** What one call did: new orders, newer versions written, versions that were not newer. */
  public record Outcome(int inserted, int updated, int unchanged) {
    public int written() {
      return inserted + updated;
    }

    public Outcome plus(Outcome o) {
      return new Outcome(inserted + o.inserted, updated + o.updated, unchanged + o.unchanged);
    }

    public static Outcome none() {
      return new Outcome(0, 0, 0);
    }
  }

  /** Stores a batch in the caller's transaction. Orders of several shops may be mixed. */
  public Outcome store(Connection c, List<Order> batch, StorePath path, Instant now)
      throws SQLException {
    if (batch.isEmpty()) {
      return Outcome.none();
    }
    Map<String, Order> newest = new LinkedHashMap<>();
    for (Order o : batch) {
      newest.merge(o.shop() + "\n" + o.id(), o,
          (a, b) -> b.updatedAt().isAfter(a.updatedAt()) ? b : a);
    }
    Map<String, Instant> stored = lockExisting(c, newest.values());
    List<Order> inserts = new ArrayList<>();
    List<Order> updates = new ArrayList<>();
    int unchanged = 0;
    for (Map.Entry<String, Order> e : newest.entrySet()) {
      Instant have = stored.get(e.getKey());
      if (have == null) {
        inserts.add(e.getValue());
      } else if (e.getValue().updatedAt().isAfter(have)) {
        updates.add(e.getValue());
      } else {
        unchanged++;
      }
    }
    unchanged += batch.size() - newest.size();
    insert(c, inserts, path, now);
    update(c, updates, path, now);
    replaceLineItems(c, updates, inserts);
    return new Outcome(inserts.size(), updates.size(), unchanged);
  }

  /** Marks an order deleted in Shopify ({@code orders/delete}); the row and its history stay. */
  public boolean markDeleted(Connection c, String shop, String id, Instant at)
      throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "UPDATE orders SET deleted_at = ? WHERE shop = ? AND id = ? AND deleted_at IS NULL")) {
      ps.setObject(1, odt(at));
      ps.setString(2, shop);
      ps.setString(3, id);
      return ps.executeUpdate() == 1;
    }
  }

  private Map<String, Instant> lockExisting(Connection c, java.util.Collection<Order> orders)
      throws SQLException {
    Map<String, List<String>> byShop = new HashMap<>();
    for (Order o : orders) {
      byShop.computeIfAbsent(o.shop(), k -> new ArrayList<>()).add(o.id());
    }
    Map<String, Instant> out = new HashMap<>();
    preferIndexLookups(c);
    for (Map.Entry<String, List<String>> e : byShop.entrySet()) {
      List<String> ids = new ArrayList<>(e.getValue());
      Collections.sort(ids); // a stable lock order keeps two writers from deadlocking
      // Only id in the WHERE clause: it leads the primary key, and a shop predicate would tempt
      // PostgreSQL, on stale statistics, into scanning a (shop, ...) index. Shopify ids are
      // unique across shops; the shop is checked below.
      String sql = "SELECT shop, id, updated_at FROM orders WHERE id IN ("
          + "?, ".repeat(ids.size() - 1) + "?) ORDER BY id FOR UPDATE";
      try (PreparedStatement ps = c.prepareStatement(sql)) {
        for (int i = 0; i < ids.size(); i++) {
          ps.setString(i + 1, ids.get(i));
        }
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            if (rs.getString(1).equals(e.getKey())) {
              out.put(e.getKey() + "\n" + rs.getString(2),
                  rs.getObject(3, OffsetDateTime.class).toInstant());
            }
          }
        }
      }
    }
    return out;
  }

  /**
   * On PostgreSQL, for this transaction: while a table grows faster than autovacuum analyzes it
   * (a first import, a backfill), the planner estimates an id list to match thousands of rows
   * and scans the whole table for each page: 100 times slower than the primary key lookups it
   * should do. Measured in BENCHMARKS.md.
   */
  private void preferIndexLookups(Connection c) throws SQLException {
    Boolean pg = postgres;
    if (pg == null) {
      pg = "PostgreSQL".equals(c.getMetaData().getDatabaseProductName());
      postgres = pg;
    }
    if (pg) {
      try (var st = c.createStatement()) {
        st.execute("SET LOCAL enable_seqscan = off");
      }
    }
  }

  private void insert(Connection c, List<Order> orders, StorePath path, Instant now)
      throws SQLException {
    if (orders.isEmpty()) {
      return;
    }
    try (PreparedStatement ps = c.prepareStatement(INSERT)) {
      for (Order o : orders) {
        ps.setString(1, o.shop());
        ps.setString(2, o.id());
        int i = bindColumns(ps, o, 3);
        ps.setString(i++, path.name());
        ps.setObject(i++, odt(now));
        ps.setString(i++, path.name());
        ps.setObject(i, odt(now));
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  private void update(Connection c, List<Order> orders, StorePath path, Instant now)
      throws SQLException {
    if (orders.isEmpty()) {
      return;
    }
    try (PreparedStatement ps = c.prepareStatement(UPDATE)) {
      for (Order o : orders) {
        int i = bindColumns(ps, o, 1);
        ps.setString(i++, path.name());
        ps.setObject(i++, odt(now));
        ps.setString(i++, o.shop());
        ps.setString(i, o.id());
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  private void replaceLineItems(Connection c, List<Order> updated, List<Order> inserted)
      throws SQLException {
    if (!updated.isEmpty()) {
      try (PreparedStatement del = c.prepareStatement(DELETE_LINES)) {
        for (Order o : updated) {
          del.setString(1, o.shop());
          del.setString(2, o.id());
          del.addBatch();
        }
        del.executeBatch();
      }
    }
    try (PreparedStatement ps = c.prepareStatement(INSERT_LINE)) {
      int rows = 0;
      for (List<Order> group : List.of(inserted, updated)) {
        for (Order o : group) {
          int pos = 0;
          for (Order.LineItem li : o.lineItems()) {
            ps.setString(1, o.shop());
            ps.setString(2, o.id());
            ps.setString(3, li.id());
            ps.setInt(4, pos++);
            ps.setString(5, li.sku());
            ps.setString(6, li.title());
            ps.setInt(7, li.quantity());
            ps.setInt(8, li.currentQuantity());
            ps.setString(9, li.variantId());
            ps.setBigDecimal(10, li.unitPrice());
            ps.addBatch();
            rows++;
          }
        }
      }
      if (rows > 0) {
        ps.executeBatch();
      }
    }
  }

  private int bindColumns(PreparedStatement ps, Order o, int i) throws SQLException {
    ps.setLong(i++, o.legacyId());
    ps.setString(i++, o.name());
    if (o.number() == null) {
      ps.setNull(i++, Types.INTEGER);
    } else {
      ps.setInt(i++, o.number());
    }
    ps.setObject(i++, odt(o.createdAt()));
    ps.setObject(i++, odt(o.updatedAt()));
    ps.setObject(i++, odt(o.processedAt()));
    ps.setObject(i++, odt(o.cancelledAt()));
    ps.setString(i++, o.cancelReason());
    ps.setObject(i++, odt(o.closedAt()));
    ps.setBoolean(i++, o.test());
    ps.setString(i++, o.sourceName());
    ps.setString(i++, o.email());
    ps.setString(i++, o.phone());
    ps.setString(i++, o.financialStatus());
    ps.setString(i++, o.fulfillmentStatus());
    ps.setString(i++, o.currency());
    ps.setBigDecimal(i++, o.totalPrice());
    setMoney(ps, i++, o.subtotalPrice());
    setMoney(ps, i++, o.totalTax());
    setMoney(ps, i++, o.totalShipping());
    setMoney(ps, i++, o.totalDiscounts());
    Order.Customer cu = o.customer();
    ps.setString(i++, cu == null ? null : cu.id());
    ps.setString(i++, cu == null ? null : cu.firstName());
    ps.setString(i++, cu == null ? null : cu.lastName());
    ps.setString(i++, cu == null ? null : cu.email());
    ps.setString(i++, toJson(o.shippingAddress()));
    ps.setString(i++, toJson(o.billingAddress()));
    ps.setString(i++, toJson(o.shippingLines()));
    ps.setString(i++, String.join(", ", o.tags()));
    ps.setString(i++, o.note());
    ps.setString(i++, o.rawFormat().name());
    ps.setString(i++, o.rawPayload());
    return i;
  }

  private static void setMoney(PreparedStatement ps, int i, BigDecimal v) throws SQLException {
    if (v == null) {
      ps.setNull(i, Types.NUMERIC);
    } else {
      ps.setBigDecimal(i, v);
    }
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

  public static OffsetDateTime odt(Instant t) {
    return t == null ? null : t.atOffset(ZoneOffset.UTC);
  }

  public static Instant instant(ResultSet rs, String column) throws SQLException {
    OffsetDateTime v = rs.getObject(column, OffsetDateTime.class);
    return v == null ? null : v.toInstant();
  }

}
