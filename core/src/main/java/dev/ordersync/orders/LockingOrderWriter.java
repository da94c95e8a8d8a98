package dev.ordersync.orders;

import dev.ordersync.db.RowBatch;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Handle;

/**
 * The portable writer (H2): locks the stored versions of the page's orders, then inserts the new
 * ones with batched bound parameters and updates those it holds an older version of.
 */
final class LockingOrderWriter implements OrderWriter {
  private static final String INSERT =
      "INSERT INTO orders (shop, id, "
          + OrderRows.orderColumnNames()
          + ", first_path, first_stored_at, last_path, "
          + "last_stored_at, versions_stored, deleted_at) VALUES (?, ?, "
          + "?, ".repeat(OrderRows.ORDER_COLUMNS.size())
          + "?, ?, ?, ?, 1, NULL)";
  private static final String INSERT_LINE =
      "INSERT INTO order_line_items ("
          + OrderRows.LINE_COLUMNS
          + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

  private final OrderRows rows;

  LockingOrderWriter(OrderRows rows) {
    this.rows = rows;
  }

  @Override
  public OrderStore.Outcome write(
      Handle h, Collection<Order> orders, StorePath path, Instant now, OrderChanges changes)
      throws SQLException {
    Map<String, OrderUpdates.Stored> stored = lockExisting(h, orders);
    List<Order> inserts = new ArrayList<>();
    List<Order> newer = new ArrayList<>();
    for (Order o : orders) {
      OrderUpdates.Stored have = stored.get(o.shop() + "\n" + o.id());
      if (have == null) {
        inserts.add(o);
      } else if (OrderUpdates.replaces(o, have)) {
        newer.add(o);
      }
    }
    // one order of keys for every writer: two writers inserting the same new orders then meet on
    // the first of them (the later one waits, then finds it and runs again) instead of each
    // holding one the other needs, which H2 does not detect as a deadlock but waits out
    inserts.sort(java.util.Comparator.comparing(Order::id));
    newer.sort(java.util.Comparator.comparing(Order::id));
    insert(h, inserts, path, now);
    // the rows are locked, so the update's own version check holds for every one of them
    List<Order> updates = OrderUpdates.updateIfNewer(h, rows, newer, path, now);
    OrderUpdates.deleteLines(h, updates);
    insertLines(h, inserts, updates);
    inserts.forEach(o -> changes.created(o, path, now));
    updates.forEach(o -> changes.updated(o, path, now));
    return new OrderStore.Outcome(
        inserts.size(), updates.size(), orders.size() - inserts.size() - updates.size());
  }

  /**
   * Locks the stored versions, in id order (a stable lock order keeps two writers from
   * deadlocking). Only id in the WHERE clause: it leads the primary key, which H2 uses for IN lists
   * only on its leading column. Shopify ids are unique across shops; the shop is checked here.
   */
  private static Map<String, OrderUpdates.Stored> lockExisting(Handle h, Collection<Order> orders) {
    Map<String, OrderUpdates.Stored> out = new HashMap<>();
    h.createQuery(
            "SELECT shop, id, updated_at, raw_format FROM orders WHERE id IN (<ids>) ORDER BY id "
                + "FOR UPDATE")
        .bindList("ids", orders.stream().map(Order::id).distinct().sorted().toList())
        .map(
            (rs, ctx) ->
                Map.entry(
                    rs.getString(1) + "\n" + rs.getString(2), OrderUpdates.Stored.of(rs, 3, 4)))
        .forEach(e -> out.put(e.getKey(), e.getValue()));
    return out;
  }

  private void insert(Handle h, List<Order> orders, StorePath path, Instant now)
      throws SQLException {
    try (RowBatch batch = new RowBatch(h, INSERT)) {
      for (Order o : orders) {
        batch.set(0, o.shop(), String.class).set(1, o.id(), String.class);
        batch.set(2, rows.values(o), OrderRows.ORDER_TYPES);
        int i = 2 + OrderRows.ORDER_TYPES.size();
        batch.set(i++, path.name(), String.class).set(i++, now, Instant.class);
        batch.set(i++, path.name(), String.class).set(i, now, Instant.class).add();
      }
      batch.execute();
    }
  }

  private static void insertLines(Handle h, List<Order> inserted, List<Order> updated)
      throws SQLException {
    try (RowBatch batch = new RowBatch(h, INSERT_LINE)) {
      for (List<Order> group : List.of(inserted, updated)) {
        for (Order o : group) {
          int position = 0;
          for (Order.LineItem li : o.lineItems()) {
            batch.set(0, OrderRows.lineValues(o, li, position++), OrderRows.LINE_TYPES).add();
          }
        }
      }
      batch.execute();
    }
  }
}
