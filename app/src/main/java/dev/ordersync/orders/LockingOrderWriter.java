package dev.ordersync.orders;

import static dev.ordersync.orders.OrderStore.odt;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The portable writer (H2): locks the stored versions of the page's orders, then inserts the new
 * ones with batched bound parameters and updates those it holds an older version of.
 */
final class LockingOrderWriter implements OrderWriter {
  private static final String INSERT = "INSERT INTO orders (shop, id, "
      + OrderRows.orderColumnNames() + ", first_path, first_stored_at, last_path, "
      + "last_stored_at, versions_stored, deleted_at) VALUES (?, ?, "
      + "?, ".repeat(OrderRows.ORDER_COLUMNS.size()) + "?, ?, ?, ?, 1, NULL)";
  private static final String INSERT_LINE = "INSERT INTO order_line_items ("
      + OrderRows.LINE_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

  private final OrderRows rows;

  LockingOrderWriter(OrderRows rows) {
    this.rows = rows;
  }

  @Override
  public OrderStore.Outcome write(Connection c, Collection<Order> orders, StorePath path,
      Instant now) throws SQLException {
    Map<String, Instant> stored = lockExisting(c, orders);
    List<Order> inserts = new ArrayList<>();
    List<Order> newer = new ArrayList<>();
    for (Order o : orders) {
      Instant have = stored.get(o.shop() + "\n" + o.id());
      if (have == null) {
        inserts.add(o);
      } else if (o.updatedAt().isAfter(have)) {
        newer.add(o);
      }
    }
    insert(c, inserts, path, now);
    // the rows are locked, so the update's own version check holds for every one of them
    List<Order> updates = OrderUpdates.updateIfNewer(c, rows, newer, path, now);
    replaceLineItems(c, updates, inserts);
    return new OrderStore.Outcome(inserts.size(), updates.size(),
        orders.size() - inserts.size() - updates.size());
  }

  private static Map<String, Instant> lockExisting(Connection c, Collection<Order> orders)
      throws SQLException {
    Map<String, List<String>> byShop = new HashMap<>();
    for (Order o : orders) {
      byShop.computeIfAbsent(o.shop(), k -> new ArrayList<>()).add(o.id());
    }
    Map<String, Instant> out = new HashMap<>();
    for (Map.Entry<String, List<String>> e : byShop.entrySet()) {
      List<String> ids = new ArrayList<>(e.getValue());
      Collections.sort(ids); // a stable lock order keeps two writers from deadlocking
      // Only id in the WHERE clause: it leads the primary key, which H2 uses for IN lists only
      // on its leading column. Shopify ids are unique across shops; the shop is checked below.
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

  private void insert(Connection c, List<Order> orders, StorePath path, Instant now)
      throws SQLException {
    if (orders.isEmpty()) {
      return;
    }
    try (PreparedStatement ps = c.prepareStatement(INSERT)) {
      for (Order o : orders) {
        ps.setString(1, o.shop());
        ps.setString(2, o.id());
        int i = rows.bindOrder(ps, o, 3);
        ps.setString(i++, path.name());
        ps.setObject(i++, odt(now));
        ps.setString(i++, path.name());
        ps.setObject(i, odt(now));
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  private static void replaceLineItems(Connection c, List<Order> updated, List<Order> inserted)
      throws SQLException {
    OrderUpdates.deleteLines(c, updated);
    try (PreparedStatement ps = c.prepareStatement(INSERT_LINE)) {
      int lines = 0;
      for (List<Order> group : List.of(inserted, updated)) {
        for (Order o : group) {
          int position = 0;
          for (Order.LineItem li : o.lineItems()) {
            Object[] v = OrderRows.lineValues(o, li, position++);
            for (int k = 0; k < v.length; k++) {
              OrderRows.bind(ps, k + 1, v[k], Types.VARCHAR);
            }
            ps.addBatch();
            lines++;
          }
        }
      }
      if (lines > 0) {
        ps.executeBatch();
      }
    }
  }
}
