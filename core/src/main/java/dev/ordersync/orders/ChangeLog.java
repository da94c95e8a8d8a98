package dev.ordersync.orders;

import dev.ordersync.db.Database;
import java.time.Instant;
import java.util.List;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.PreparedBatch;

/**
 * Every change to a stored order, numbered so that a reader can never skip one (invariant 8).
 * Numbers are given last in the writing transaction, under feed_head's row lock, which is held
 * until that transaction commits: so transactions take their numbers in the order they commit, and
 * what a reader sees committed is always 1..n without a gap. (Numbers handed out earlier, by a
 * sequence, would let a reader see 7 and 9 before 8 commits, and skip 8 for good.)
 */
public final class ChangeLog {
  /** One numbered change. */
  public record Change(
      long seq,
      String shop,
      String id,
      ChangeKind kind,
      Instant updatedAt,
      Instant storedAt,
      StorePath path) {}

  /** Where the log stands: the last number, and up to which one changes were pruned. */
  public record Head(long head, long prunedThrough) {}

  private final Database db;
  private final Object committed = new Object();

  public ChangeLog(Database db) {
    this.db = db;
  }

  /** Tells waiting readers of this process that changes were committed. */
  public void committed() {
    synchronized (committed) {
      committed.notifyAll();
    }
  }

  /**
   * Waits up to {@code max} for this process to commit changes, or less: other processes' commits
   * are seen by reading again, so a reader waits in short turns.
   */
  public void awaitCommit(java.time.Duration max) throws InterruptedException {
    synchronized (committed) {
      committed.wait(Math.max(1, max.toMillis()));
    }
  }

  /**
   * Takes the feed head's row lock, held until the transaction ends: numbering serialises on it,
   * and so do a deletion of an order not stored yet and the first insert of that order ({@link
   * OrderStore#tombstone}). Taken last in a writing transaction, after its order rows' locks.
   */
  long lockHead(Handle h) {
    return h.createQuery("SELECT head FROM feed_head WHERE id = 1 FOR UPDATE")
        .mapTo(Long.class)
        .one();
  }

  /** Numbers and appends the transaction's changes; call it last, just before the commit. */
  public void append(Handle h, OrderChanges changes) {
    if (changes.isEmpty()) {
      return;
    }
    long head = lockHead(h);
    List<OrderChanges.Pending> pending = changes.list();
    PreparedBatch batch =
        h.prepareBatch(
            "INSERT INTO order_changes (seq, shop, order_id, "
                + "kind, updated_at, stored_at, path) VALUES (?, ?, ?, ?, ?, ?, ?)");
    long seq = head;
    for (OrderChanges.Pending c : pending) {
      batch
          .bind(0, ++seq)
          .bind(1, c.shop())
          .bind(2, c.id())
          .bind(3, c.kind().name())
          .bind(4, c.updatedAt())
          .bind(5, c.storedAt())
          .bind(6, c.path().name())
          .add();
    }
    batch.execute();
    h.createUpdate("UPDATE feed_head SET head = :head WHERE id = 1").bind("head", seq).execute();
  }

  public Head head() {
    return db.read(
        h ->
            h.createQuery("SELECT head, pruned_through FROM feed_head WHERE id = 1")
                .map((rs, ctx) -> new Head(rs.getLong(1), rs.getLong(2)))
                .one());
  }

  /** Deletes the changes stored before {@code cutoff}; how many. */
  public int prune(Instant cutoff) {
    return db.inTransaction(
        h -> {
          long last =
              h.createQuery(
                      "SELECT COALESCE(MAX(seq), 0) FROM order_changes "
                          + "WHERE stored_at < :cutoff")
                  .bind("cutoff", cutoff)
                  .mapTo(Long.class)
                  .one();
          if (last == 0) {
            return 0;
          }
          int deleted =
              h.createUpdate("DELETE FROM order_changes WHERE seq <= :last")
                  .bind("last", last)
                  .execute();
          h.createUpdate(
                  "UPDATE feed_head SET pruned_through = :last WHERE id = 1 "
                      + "AND pruned_through < :last")
              .bind("last", last)
              .execute();
          return deleted;
        });
  }
}
