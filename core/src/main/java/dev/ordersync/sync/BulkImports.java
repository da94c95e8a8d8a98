package dev.ordersync.sync;

import dev.ordersync.config.ShopDomain;
import dev.ordersync.db.Database;
import dev.ordersync.db.Times;
import java.time.Instant;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/** The bulk operations started for windows, kept until their window is done (V10). */
public final class BulkImports {
  private final Database db;

  public BulkImports(Database db) {
    this.db = db;
  }

  /** An operation that has not finished its window: what a restarted import resumes. */
  public record Kept(
      String operationId,
      String shop,
      String field,
      Window window,
      long linesDone,
      long ordersStored) {}

  private static final String COLUMNS =
      "SELECT operation_id, shop, field, window_start, window_end, lines_done, orders_stored "
          + "FROM bulk_imports ";

  /**
   * The latest unfinished operation of {@code shop} for a window of {@code field} starting at or
   * before {@code start}.
   */
  public Optional<Kept> unfinished(ShopDomain shop, String field, Instant start) {
    return db.read(
        h ->
            h.createQuery(
                    COLUMNS
                        + "WHERE shop = :shop AND field = :field "
                        + "AND window_start <= :start AND finished_at IS NULL "
                        + "ORDER BY started_at DESC")
                .bind("shop", shop.value())
                .bind("field", field)
                .bind("start", start)
                .map(BulkImports::kept)
                .findFirst());
  }

  /** The operation, while it has not finished its window. */
  public Optional<Kept> kept(String operationId) {
    return db.read(
        h ->
            h.createQuery(COLUMNS + "WHERE operation_id = :id AND finished_at IS NULL")
                .bind("id", operationId)
                .map(BulkImports::kept)
                .findOne());
  }

  private static Kept kept(java.sql.ResultSet rs, org.jdbi.v3.core.statement.StatementContext ctx)
      throws java.sql.SQLException {
    return new Kept(
        rs.getString("operation_id"),
        rs.getString("shop"),
        rs.getString("field"),
        new Window(Times.instant(rs, "window_start"), Times.instant(rs, "window_end")),
        rs.getLong("lines_done"),
        rs.getLong("orders_stored"));
  }

  public void started(String operationId, ShopDomain shop, String field, Window w, Instant now) {
    db.inTransaction(
        h ->
            h.createUpdate(
                    "INSERT INTO bulk_imports (operation_id, shop, field, window_start, "
                        + "window_end, started_at, lines_done, orders_stored) VALUES (:id, :shop, "
                        + ":field, :start, :end, :now, 0, 0)")
                .bind("id", operationId)
                .bind("shop", shop.value())
                .bind("field", field)
                .bind("start", w.start())
                .bind("end", w.end())
                .bind("now", now)
                .execute());
  }

  /** In the transaction that stored them: the lines of the results stored so far. */
  public void progressed(Handle h, String operationId, long linesDone, long ordersStored) {
    h.createUpdate(
            "UPDATE bulk_imports SET lines_done = :lines, orders_stored = :orders "
                + "WHERE operation_id = :id")
        .bind("id", operationId)
        .bind("lines", linesDone)
        .bind("orders", ordersStored)
        .execute();
  }

  public void finished(Handle h, String operationId, String outcome, Instant now) {
    h.createUpdate(
            "UPDATE bulk_imports SET finished_at = :now, outcome = :outcome "
                + "WHERE operation_id = :id")
        .bind("id", operationId)
        .bind("outcome", outcome)
        .bind("now", now)
        .execute();
  }

  public void finished(String operationId, String outcome, Instant now) {
    db.inTransaction(
        h -> {
          finished(h, operationId, outcome, now);
          return null;
        });
  }
}
