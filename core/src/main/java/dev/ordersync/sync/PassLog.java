package dev.ordersync.sync;

import dev.ordersync.config.ShopDomain;
import dev.ordersync.db.Database;
import dev.ordersync.db.Times;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import org.jdbi.v3.core.statement.StatementContext;

/** The log of sync passes: one row per shop and pass. */
public final class PassLog {
  private final Database db;

  public PassLog(Database db) {
    this.db = db;
  }

  public void record(PassResult r) {
    db.inTransaction(
        h ->
            h.createUpdate(
                    "INSERT INTO sync_passes (shop, stream, window_start, "
                        + "window_end, started_at, finished_at, pages, orders_seen, orders_written, "
                        + "orders_failed, api_cost, outcome, error) VALUES (:shop, :stream, :windowStart, "
                        + ":windowEnd, :startedAt, :finishedAt, :pages, :ordersSeen, :ordersWritten, "
                        + ":ordersFailed, :apiCost, :outcome, :error)")
                .bindMethods(r)
                .bind("stream", Checkpoints.ORDERS)
                .bind("outcome", r.ok() ? "OK" : "FAILED")
                .bind("error", Database.fitMessage(r.error()))
                .execute());
  }

  public List<PassResult> recent(ShopDomain shop, int limit) {
    return db.read(
        h ->
            h.createQuery(
                    "SELECT * FROM sync_passes WHERE shop = :shop "
                        + "ORDER BY id DESC LIMIT :limit")
                .bind("shop", shop.value())
                .bind("limit", limit)
                .map(PassLog::row)
                .list());
  }

  /** A shop's passes started at or after {@code since}, oldest first, at most {@code limit}. */
  public List<PassResult> since(ShopDomain shop, Instant since, int limit) {
    return db.read(
        h ->
            h.createQuery(
                    "SELECT * FROM (SELECT * FROM sync_passes WHERE shop = :shop "
                        + "AND started_at >= :since ORDER BY started_at DESC, id DESC "
                        + "LIMIT :limit) p ORDER BY started_at, id")
                .bind("shop", shop.value())
                .bind("since", since)
                .bind("limit", limit)
                .map(PassLog::row)
                .list());
  }

  private static PassResult row(ResultSet rs, StatementContext ctx) throws SQLException {
    return new PassResult(
        rs.getString("shop"),
        Times.instant(rs, "window_start"),
        Times.instant(rs, "window_end"),
        null,
        rs.getInt("pages"),
        rs.getInt("orders_seen"),
        rs.getInt("orders_written"),
        rs.getInt("orders_failed"),
        rs.getLong("api_cost"),
        Times.instant(rs, "started_at"),
        Times.instant(rs, "finished_at"),
        rs.getString("error"));
  }
}
