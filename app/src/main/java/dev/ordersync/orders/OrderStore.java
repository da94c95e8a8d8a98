package dev.ordersync.orders;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.postgresql.PGConnection;

/**
 * The one place orders are written. Idempotent and monotonic (invariant 4): keyed by (shop, GID);
 * a version replaces the stored one only when its {@code updatedAt} is newer, whatever path
 * brought either. Works inside the caller's transaction so that a sync pass can commit a page of
 * orders and its watermark together. PostgreSQL gets its own writer (new orders by {@code COPY});
 * H2 the portable one.
 */
public final class OrderStore {
  private final OrderRows rows = new OrderRows();
  private final OrderWriter copying = new CopyingOrderWriter(rows);
  private final OrderWriter locking = new LockingOrderWriter(rows);

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
    Outcome written = writer(c).write(c, newest.values(), path, now);
    if (written.inserted() > 0) {
      buryIfDeleted(c, newest.values());
    }
    return written.plus(new Outcome(0, 0, batch.size() - newest.size()));
  }

  /**
   * Marks an order deleted in Shopify ({@code orders/delete}); the row and its history stay. An
   * order not stored yet gets a tombstone, so that a version arriving after its deletion (a
   * reordered webhook) is stored deleted. True when a stored order was marked.
   */
  public boolean markDeleted(Connection c, String shop, String id, Instant at)
      throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "UPDATE orders SET deleted_at = ? WHERE shop = ? AND id = ? AND deleted_at IS NULL")) {
      ps.setObject(1, odt(at));
      ps.setString(2, shop);
      ps.setString(3, id);
      if (ps.executeUpdate() == 1) {
        return true;
      }
    }
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO order_tombstones (shop, id, "
        + "deleted_at) SELECT ?, ?, ? WHERE NOT EXISTS (SELECT 1 FROM orders WHERE id = ? AND "
        + "shop = ?) AND NOT EXISTS (SELECT 1 FROM order_tombstones WHERE id = ? AND shop = ?)")) {
      ps.setString(1, shop);
      ps.setString(2, id);
      ps.setObject(3, odt(at));
      ps.setString(4, id);
      ps.setString(5, shop);
      ps.setString(6, id);
      ps.setString(7, shop);
      ps.executeUpdate();
    }
    return false;
  }

  /** New orders that were deleted in Shopify before we stored them are stored deleted. */
  private static void buryIfDeleted(Connection c, Collection<Order> orders) throws SQLException {
    List<String> ids = orders.stream().map(Order::id).toList();
    Map<String, OffsetDateTime> buried = new HashMap<>();
    try (PreparedStatement ps = c.prepareStatement("SELECT shop, id, deleted_at FROM "
        + "order_tombstones WHERE id IN (" + "?, ".repeat(ids.size() - 1) + "?)")) {
      for (int i = 0; i < ids.size(); i++) {
        ps.setString(i + 1, ids.get(i));
      }
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          buried.put(rs.getString(1) + "\n" + rs.getString(2),
              rs.getObject(3, OffsetDateTime.class));
        }
      }
    }
    if (buried.isEmpty()) {
      return;
    }
    try (PreparedStatement ps = c.prepareStatement("UPDATE orders SET deleted_at = ? "
        + "WHERE shop = ? AND id = ? AND deleted_at IS NULL")) {
      for (Map.Entry<String, OffsetDateTime> e : buried.entrySet()) {
        String[] key = e.getKey().split("\n", 2);
        ps.setObject(1, e.getValue());
        ps.setString(2, key[0]);
        ps.setString(3, key[1]);
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  private OrderWriter writer(Connection c) throws SQLException {
    return c.isWrapperFor(PGConnection.class) ? copying : locking;
  }

  public static OffsetDateTime odt(Instant t) {
    return t == null ? null : t.atOffset(ZoneOffset.UTC);
  }

  public static Instant instant(ResultSet rs, String column) throws SQLException {
    OffsetDateTime v = rs.getObject(column, OffsetDateTime.class);
    return v == null ? null : v.toInstant();
  }

}
