package dev.ordersync.sync;

import static dev.ordersync.orders.OrderStore.instant;
import static dev.ordersync.orders.OrderStore.odt;

import dev.ordersync.db.Database;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;

/** The log of sync passes: one row per shop and pass. */
public final class PassLog {
  private final Database db;

  public PassLog(Database db) {
    this.db = db;
  }

  public void record(PassResult r) {
    db.inTransaction(c -> {
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO sync_passes (shop, stream, "
          + "window_start, window_end, started_at, finished_at, pages, orders_seen, "
          + "orders_written, orders_failed, api_cost, outcome, error) "
          + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
        ps.setString(1, r.shop());
        ps.setString(2, Checkpoints.ORDERS);
        ps.setObject(3, odt(r.windowStart()));
        ps.setObject(4, odt(r.windowEnd()));
        ps.setObject(5, odt(r.startedAt()));
        ps.setObject(6, odt(r.finishedAt()));
        ps.setInt(7, r.pages());
        ps.setInt(8, r.ordersSeen());
        ps.setInt(9, r.ordersWritten());
        ps.setInt(10, r.ordersFailed());
        ps.setLong(11, r.apiCost());
        ps.setString(12, r.ok() ? "OK" : "FAILED");
        ps.setString(13, Database.fitMessage(r.error()));
        ps.executeUpdate();
      }
      return null;
    });
  }

  public List<PassResult> recent(String shop, int limit) {
    return db.read(c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT * FROM sync_passes WHERE shop = ? "
          + "ORDER BY id DESC LIMIT " + limit)) {
        ps.setString(1, shop);
        List<PassResult> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            out.add(new PassResult(rs.getString("shop"), instant(rs, "window_start"),
                instant(rs, "window_end"), null, rs.getInt("pages"), rs.getInt("orders_seen"),
                rs.getInt("orders_written"), rs.getInt("orders_failed"), rs.getLong("api_cost"),
                instant(rs, "started_at"), instant(rs, "finished_at"), rs.getString("error")));
          }
        }
        return out;
      }
    });
  }
}
