package dev.ordersync.orders;

import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Handle;
import org.postgresql.PGConnection;

/**
 * The PostgreSQL writer. One unlocked read of the page's stored versions sorts it: orders we do not
 * hold go in by {@code COPY}; orders we hold an older version of are updated with the version check
 * in the {@code UPDATE}'s own condition, which PostgreSQL re-evaluates on the locked row; the rest
 * are skipped, safely without a lock since a stored version only ever grows (invariant 4). Two
 * writers with new orders of the same shop take turns (a lock per shop), so they do not collide on
 * the primary key; a collision left (another writer) is retried by {@code Database.inTransaction}.
 */
final class CopyingOrderWriter implements OrderWriter {
  private static final String STORED =
      "SELECT shop, id, updated_at, raw_format FROM orders " + "WHERE id = ANY (:ids)";
  private static final String COPY_ORDERS =
      "COPY orders (shop, id, "
          + OrderRows.orderColumnNames()
          + ", first_path, first_stored_at, last_path, "
          + "last_stored_at, versions_stored) FROM STDIN";
  private static final String COPY_LINES =
      "COPY order_line_items (" + OrderRows.LINE_COLUMNS + ") FROM STDIN";

  private final OrderRows rows;

  CopyingOrderWriter(OrderRows rows) {
    this.rows = rows;
  }

  @Override
  public OrderStore.Outcome write(
      Handle h, Collection<Order> orders, StorePath path, Instant now, OrderChanges changes)
      throws SQLException {
    Connection c = h.getConnection();
    preferIndexLookups(h);
    Sorted sorted = sort(orders, storedVersions(h, orders));
    if (!sorted.inserts().isEmpty()) {
      // Writers of the same new orders (a pass, a sweep, the webhook worker) take turns: each
      // COPY otherwise met another's uncommitted insert, and three of them run again at once
      // kept meeting until one gave up (ConcurrentWritersTest). The read again after the lock
      // sees what the writer before committed.
      lockNewOrdersOf(h, sorted.inserts());
      sorted = sort(orders, storedVersions(h, orders));
    }
    List<Order> inserts = sorted.inserts();
    List<Order> candidates = sorted.candidates();
    copyNew(c, inserts, path, now);
    List<Order> updates = OrderUpdates.updateIfNewer(h, rows, candidates, path, now);
    OrderUpdates.deleteLines(h, updates);
    copyLines(c, inserts, updates);
    inserts.forEach(o -> changes.created(o, path, now));
    updates.forEach(o -> changes.updated(o, path, now));
    return new OrderStore.Outcome(
        inserts.size(), updates.size(), orders.size() - inserts.size() - updates.size());
  }

  private record Sorted(List<Order> inserts, List<Order> candidates) {}

  /** Orders not held (to insert) and orders held at an older version (to update), by id. */
  private static Sorted sort(Collection<Order> orders, Map<String, OrderUpdates.Stored> stored) {
    List<Order> inserts = new ArrayList<>();
    List<Order> candidates = new ArrayList<>();
    for (Order o : orders) {
      OrderUpdates.Stored have = stored.get(o.shop() + "\n" + o.id());
      if (have == null) {
        inserts.add(o);
      } else if (OrderUpdates.replaces(o, have)) {
        candidates.add(o);
      }
    }
    // one order of keys for every writer: two writers meeting on the same new orders then
    // collide on the first of them instead of deadlocking
    inserts.sort(Comparator.comparing(Order::id));
    candidates.sort(Comparator.comparing(Order::id));
    return new Sorted(inserts, candidates);
  }

  /**
   * A lock per shop whose new orders this transaction inserts, held to its end, taken in the order
   * of the shops' names (a webhook batch may hold several shops) so that two writers never wait for
   * each other in a circle.
   */
  private static void lockNewOrdersOf(Handle h, List<Order> inserts) {
    for (String shop : inserts.stream().map(Order::shop).distinct().sorted().toList()) {
      h.createQuery("SELECT pg_advisory_xact_lock(:space, hashtext(:shop))")
          .bind("space", NEW_ORDERS_LOCK_SPACE)
          .bind("shop", shop)
          .mapToMap()
          .one();
    }
  }

  /** The first key of order-sync's advisory locks on new orders (the second: the shop's hash). */
  private static final int NEW_ORDERS_LOCK_SPACE = 0x0D5E;

  /**
   * While a table grows faster than autovacuum analyzes it (a first import, a backfill), the
   * planner can take a list of ids to match thousands of rows and scan the whole table for each
   * page: 100 times slower than the key lookups it should do. Measured in BENCHMARKS.md.
   */
  private static void preferIndexLookups(Handle h) {
    h.execute("SET LOCAL enable_seqscan = off");
  }

  private static Map<String, OrderUpdates.Stored> storedVersions(
      Handle h, Collection<Order> orders) {
    Map<String, OrderUpdates.Stored> out = new HashMap<>();
    h.createQuery(STORED)
        .bindArray("ids", String.class, orders.stream().map(Order::id).toList())
        .map(
            (rs, ctx) ->
                Map.entry(
                    rs.getString(1) + "\n" + rs.getString(2), OrderUpdates.Stored.of(rs, 3, 4)))
        .forEach(e -> out.put(e.getKey(), e.getValue()));
    return out;
  }

  private void copyNew(Connection c, List<Order> orders, StorePath path, Instant now)
      throws SQLException {
    if (orders.isEmpty()) {
      return;
    }
    CopyRows data = new CopyRows(orders.size() * 2048);
    for (Order o : orders) {
      data.add(o.shop())
          .add(o.id())
          .addAll(rows.values(o))
          .add(path.name())
          .add(now)
          .add(path.name())
          .add(now)
          .add(1)
          .endRow();
    }
    copy(c, COPY_ORDERS, data);
  }

  private static void copyLines(Connection c, List<Order> inserted, List<Order> updated)
      throws SQLException {
    CopyRows data = new CopyRows((inserted.size() + updated.size()) * 300);
    for (List<Order> group : List.of(inserted, updated)) {
      for (Order o : group) {
        int position = 0;
        for (Order.LineItem li : o.lineItems()) {
          data.addAll(OrderRows.lineValues(o, li, position++)).endRow();
        }
      }
    }
    if (!data.isEmpty()) {
      copy(c, COPY_LINES, data);
    }
  }

  private static void copy(Connection c, String sql, CopyRows data) throws SQLException {
    try {
      c.unwrap(PGConnection.class).getCopyAPI().copyIn(sql, data.reader());
    } catch (IOException e) {
      throw new SQLException("COPY failed while reading its own buffer", e);
    }
  }
}
