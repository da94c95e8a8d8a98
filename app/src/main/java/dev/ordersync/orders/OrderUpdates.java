package dev.ordersync.orders;

import static dev.ordersync.orders.OrderStore.odt;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Newer versions of stored orders, for both writers: an {@code UPDATE} that carries the version
 * check in its own condition (re-evaluated on the locked row), and the removal of the line items
 * the new versions replace.
 */
final class OrderUpdates {
  private static final String UPDATE_IF_NEWER = "UPDATE orders SET "
      + OrderRows.orderColumnNames().replace(",", " = ?,") + " = ?, last_path = ?, "
      + "last_stored_at = ?, versions_stored = versions_stored + 1 "
      + "WHERE shop = ? AND id = ? AND updated_at < ?";
  private static final String DELETE_LINES =
      "DELETE FROM order_line_items WHERE shop = ? AND order_id = ?";

  private OrderUpdates() {}

  /** The orders actually updated: another writer may have stored a newer version meanwhile. */
  static List<Order> updateIfNewer(Connection c, OrderRows rows, List<Order> orders,
      StorePath path, Instant now) throws SQLException {
    if (orders.isEmpty()) {
      return List.of();
    }
    int[] counts;
    try (PreparedStatement ps = c.prepareStatement(UPDATE_IF_NEWER)) {
      for (Order o : orders) {
        int i = rows.bindOrder(ps, o, 1);
        ps.setString(i++, path.name());
        ps.setObject(i++, odt(now));
        ps.setString(i++, o.shop());
        ps.setString(i++, o.id());
        ps.setObject(i, odt(o.updatedAt()));
        ps.addBatch();
      }
      counts = ps.executeBatch();
    }
    List<Order> updated = new ArrayList<>();
    for (int k = 0; k < counts.length; k++) {
      if (counts[k] > 0) {
        updated.add(orders.get(k));
      }
    }
    return updated;
  }

  static void deleteLines(Connection c, List<Order> updated) throws SQLException {
    if (updated.isEmpty()) {
      return;
    }
    try (PreparedStatement ps = c.prepareStatement(DELETE_LINES)) {
      for (Order o : updated) {
        ps.setString(1, o.shop());
        ps.setString(2, o.id());
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }
}
