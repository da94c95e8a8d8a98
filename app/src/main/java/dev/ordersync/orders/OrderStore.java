package dev.ordersync.orders;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
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
    return written.plus(new Outcome(0, 0, batch.size() - newest.size()));
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
