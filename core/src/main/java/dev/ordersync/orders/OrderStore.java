package dev.ordersync.orders;

import java.sql.SQLException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.reflect.ConstructorMapper;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.postgresql.PGConnection;

/**
 * The one place orders are written. Idempotent and monotonic (invariant 4): keyed by (shop, GID); a
 * version replaces the stored one only when its {@code updatedAt} is newer, whatever path brought
 * either. Works inside the caller's transaction so that a sync pass can commit a page of orders and
 * its watermark together. PostgreSQL gets its own writer (new orders by {@code COPY}); H2 the
 * portable one.
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
  public Outcome store(
      Handle h, List<Order> batch, StorePath path, Instant now, OrderChanges changes)
      throws SQLException {
    if (batch.isEmpty()) {
      return Outcome.none();
    }
    Map<String, Order> newest = new LinkedHashMap<>();
    for (Order o : batch) {
      newest.merge(
          o.shop() + "\n" + o.id(),
          o,
          (a, b) ->
              OrderUpdates.replaces(b, new OrderUpdates.Stored(a.updatedAt(), a.rawFormat()))
                  ? b
                  : a);
    }
    Outcome written = writer(h).write(h, newest.values(), path, now, changes);
    return written.plus(new Outcome(0, 0, batch.size() - newest.size()));
  }

  /**
   * Marks a stored order deleted in Shopify ({@code orders/delete}); the row and its history stay.
   * True when this call settled the deletion: the order was marked, or was already deleted. False
   * when no order is stored (committed) yet: then {@link #tombstone} must follow, under the feed
   * head's lock.
   */
  boolean markStored(
      Handle h, String shop, String id, Instant at, StorePath path, OrderChanges changes)
      throws SQLException {
    int marked =
        h.createUpdate(
                "UPDATE orders SET deleted_at = :at WHERE shop = :shop "
                    + "AND id = :id AND deleted_at IS NULL")
            .bind("at", at)
            .bind("shop", shop)
            .bind("id", id)
            .execute();
    if (marked == 1) {
      changes.deleted(shop, id, at, path, at);
      return true;
    }
    Boolean live =
        h.createQuery("SELECT deleted_at IS NULL FROM orders WHERE id = :id AND shop = :shop")
            .bind("shop", shop)
            .bind("id", id)
            .mapTo(Boolean.class)
            .findOne()
            .orElse(null);
    if (Boolean.TRUE.equals(live)) {
      // its first insert committed between the update and this look: run again, to mark it
      throw new SQLException("an order being deleted was stored meanwhile", "40001");
    }
    return live != null;
  }

  /**
   * Keeps the deletion of an order not stored yet, so that a version arriving after it (a reordered
   * webhook, an insert still uncommitted when the deletion was confirmed) is stored deleted. Called
   * holding the feed head's lock, which every transaction that inserts an order takes before it
   * looks for tombstones ({@link #buryIfDeleted}): so either that insert committed before, and is
   * found here (the transaction is then run again, to mark it), or it looks after this commits, and
   * finds the tombstone. Without the lock both could commit unseen by the other.
   */
  void tombstone(Handle h, String shop, String id, Instant at) throws SQLException {
    if (stored(h, shop, id)) {
      throw new SQLException("an order being deleted was stored meanwhile", "40001");
    }
    h.createUpdate(
            "INSERT INTO order_tombstones (shop, id, deleted_at) SELECT :shop, :id, :at "
                + "WHERE NOT EXISTS (SELECT 1 FROM order_tombstones WHERE id = :id AND shop = :shop)")
        .bind("at", at)
        .bind("shop", shop)
        .bind("id", id)
        .execute();
  }

  private static boolean stored(Handle h, String shop, String id) {
    return h.createQuery("SELECT COUNT(*) FROM orders WHERE id = :id AND shop = :shop")
            .bind("shop", shop)
            .bind("id", id)
            .mapTo(Integer.class)
            .one()
        > 0;
  }

  /**
   * New orders that were deleted in Shopify before we stored them are stored deleted. Called
   * holding the feed head's lock (see {@link #tombstone}), with the orders this transaction
   * created.
   */
  void buryIfDeleted(
      Handle h,
      List<OrderChanges.Pending> created,
      StorePath path,
      Instant now,
      OrderChanges changes) {
    if (created.isEmpty()) {
      return;
    }
    List<Tombstone> buried =
        h.createQuery("SELECT shop, id, deleted_at FROM order_tombstones WHERE id IN (<ids>)")
            .bindList("ids", created.stream().map(OrderChanges.Pending::id).distinct().toList())
            .map(ConstructorMapper.of(Tombstone.class))
            .list();
    if (buried.isEmpty()) {
      return;
    }
    PreparedBatch batch =
        h.prepareBatch(
            "UPDATE orders SET deleted_at = :deletedAt "
                + "WHERE shop = :shop AND id = :id AND deleted_at IS NULL");
    for (Tombstone t : buried) {
      batch.bindMethods(t).add();
    }
    int[] marked = batch.execute();
    for (int i = 0; i < marked.length; i++) {
      if (marked[i] > 0) {
        Tombstone t = buried.get(i);
        changes.deleted(t.shop(), t.id(), t.deletedAt(), path, now);
      }
    }
  }

  /** A deletion that came before the order did. */
  public record Tombstone(String shop, String id, Instant deletedAt) {}

  private OrderWriter writer(Handle h) throws SQLException {
    return h.getConnection().isWrapperFor(PGConnection.class) ? copying : locking;
  }
}
