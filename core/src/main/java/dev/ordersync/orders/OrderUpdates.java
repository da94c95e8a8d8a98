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
 *
 * <p>Two versions with the same {@code updatedAt} (two changes within one second; the same version
 * by a webhook and by the API): Shopify's API (GraphQL) wins over a webhook's REST payload, whose
 * statuses are coarser (no {@code ON_HOLD}), whichever arrived first; otherwise the first stands.
 */
final class OrderUpdates {
  private static final String UPDATE_IF_NEWER =
      "UPDATE orders SET "
          + OrderRows.orderColumnNames().replace(",", " = ?,")
          + " = ?, last_path = ?, "
          + "last_stored_at = ?, versions_stored = versions_stored + 1 "
          + "WHERE shop = ? AND id = ? AND (updated_at < ? "
          + "OR (updated_at = ? AND raw_format = 'REST' AND ? = 'GRAPHQL'))";
  private static final String DELETE_LINES =
      "DELETE FROM order_line_items WHERE shop = ? AND order_id = ?";

  private OrderUpdates() {}

  /** Whether {@code o} replaces the stored version {@code have} (see the class comment). */
  static boolean replaces(Order o, Stored have) {
    return o.updatedAt().isAfter(have.updatedAt())
        || (o.updatedAt().equals(have.updatedAt())
            && have.rawFormat() == Order.RawFormat.REST
            && o.rawFormat() == Order.RawFormat.GRAPHQL);
  }

  /** A stored version: its updatedAt and the form its payload came in. */
  record Stored(java.time.Instant updatedAt, Order.RawFormat rawFormat) {
    static Stored of(java.sql.ResultSet rs, int updatedAtColumn, int rawFormatColumn)
        throws SQLException {
      String format = rs.getString(rawFormatColumn);
      return new Stored(
          dev.ordersync.db.Times.instant(rs, updatedAtColumn),
          format == null ? Order.RawFormat.GRAPHQL : Order.RawFormat.valueOf(format));
    }
  }

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
        batch.set(i++, o.updatedAt(), Instant.class).set(i++, o.updatedAt(), Instant.class);
        batch.set(i, o.rawFormat().name(), String.class).add();
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
