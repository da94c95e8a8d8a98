package dev.ordersync.orders;

import dev.ordersync.db.RowBatch;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.PreparedBatch;

/**
 * Newer versions of stored orders, for both writers: an {@code UPDATE} that carries the version
 * check in its own condition (re-evaluated on the locked row), and the removal of the line items
 * the new versions replace.
 */
final class OrderUpdates {
  private static final String UPDATE_IF_NEWER =
      "UPDATE orders SET "
          + OrderRows.orderColumnNames().replace(",", " = ?,")
          + " = ?, last_path = ?, "
          + "last_stored_at = ?, versions_stored = versions_stored + 1 "
          + "WHERE shop = ? AND id = ? AND updated_at < ?";
  private static final String DELETE_LINES =
      "DELETE FROM order_line_items WHERE shop = ? AND order_id = ?";

  private OrderUpdates() {}

  /** The orders actually updated: another writer may have stored a newer version meanwhile. */
  static List<Order> updateIfNewer(
      Handle h, OrderRows rows, List<Order> orders, StorePath path, Instant now)
      throws SQLException {
    if (orders.isEmpty()) {
      return List.of();
    }
    int[] counts;
    try (RowBatch batch = new RowBatch(h, UPDATE_IF_NEWER)) {
      for (Order o : orders) {
        batch.set(0, rows.values(o), OrderRows.ORDER_TYPES);
        int i = OrderRows.ORDER_TYPES.size();
        batch.set(i++, path.name(), String.class).set(i++, now, Instant.class);
        batch.set(i++, o.shop(), String.class).set(i++, o.id(), String.class);
        batch.set(i, o.updatedAt(), Instant.class).add();
      }
      counts = batch.execute();
    }
    List<Order> updated = new ArrayList<>();
    for (int k = 0; k < counts.length; k++) {
      if (counts[k] > 0) {
        updated.add(orders.get(k));
      }
    }
    return updated;
  }

  static void deleteLines(Handle h, List<Order> updated) {
    if (updated.isEmpty()) {
      return;
    }
    PreparedBatch batch = h.prepareBatch(DELETE_LINES);
    for (Order o : updated) {
      batch.bind(0, o.shop()).bind(1, o.id()).add();
    }
    batch.execute();
  }
}
