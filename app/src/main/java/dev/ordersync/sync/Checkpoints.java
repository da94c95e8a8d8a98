package dev.ordersync.sync;

import static dev.ordersync.orders.OrderStore.instant;
import static dev.ordersync.orders.OrderStore.odt;

import dev.ordersync.db.Database;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Per shop and stream: the watermark, and how the last passes went. */
public final class Checkpoints {
  public static final String ORDERS = "orders";

  private final Database db;

  public Checkpoints(Database db) {
    this.db = db;
  }

  public record Checkpoint(String shop, String stream, Instant watermark, Instant lastSuccessAt,
      Instant lastFailureAt, int consecutiveFailures, String lastError) {}

  public Optional<Checkpoint> get(String shop, String stream) {
    return db.read(c -> {
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT * FROM sync_checkpoints WHERE shop = ? AND stream = ?")) {
        ps.setString(1, shop);
        ps.setString(2, stream);
        try (ResultSet rs = ps.executeQuery()) {
          return rs.next() ? Optional.of(row(rs)) : Optional.<Checkpoint>empty();
        }
      }
    });
  }

  public List<Checkpoint> all() {
    return db.read(c -> {
      List<Checkpoint> out = new ArrayList<>();
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT * FROM sync_checkpoints ORDER BY shop, stream");
          ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(row(rs));
        }
      }
      return out;
    });
  }

  /**
   * Moves the watermark to {@code watermark} in the caller's transaction, never backwards, and
   * marks the pass a success.
   */
  public void advance(Connection c, String shop, String stream, Instant watermark, Instant now)
      throws SQLException {
    try (PreparedStatement up = c.prepareStatement("UPDATE sync_checkpoints SET watermark = "
        + "CASE WHEN watermark < ? THEN ? ELSE watermark END, last_success_at = ?, "
        + "consecutive_failures = 0, last_error = NULL WHERE shop = ? AND stream = ?")) {
      up.setObject(1, odt(watermark));
      up.setObject(2, odt(watermark));
      up.setObject(3, odt(now));
      up.setString(4, shop);
      up.setString(5, stream);
      if (up.executeUpdate() == 1) {
        return;
      }
    }
    try (PreparedStatement ins = c.prepareStatement("INSERT INTO sync_checkpoints (shop, stream, "
        + "watermark, last_success_at, consecutive_failures) VALUES (?, ?, ?, ?, 0)")) {
      ins.setString(1, shop);
      ins.setString(2, stream);
      ins.setObject(3, odt(watermark));
      ins.setObject(4, odt(now));
      ins.executeUpdate();
    }
  }

  /** Records a failed pass; the watermark stays where it is. */
  public void recordFailure(String shop, String stream, Instant initialWatermark, String error,
      Instant now) {
    String cut = Database.fitMessage(error);
    db.inTransaction(c -> {
      try (PreparedStatement up = c.prepareStatement("UPDATE sync_checkpoints SET "
          + "consecutive_failures = consecutive_failures + 1, last_failure_at = ?, last_error = ? "
          + "WHERE shop = ? AND stream = ?")) {
        up.setObject(1, odt(now));
        up.setString(2, cut);
        up.setString(3, shop);
        up.setString(4, stream);
        if (up.executeUpdate() == 1) {
          return null;
        }
      }
      try (PreparedStatement ins = c.prepareStatement("INSERT INTO sync_checkpoints (shop, "
          + "stream, watermark, last_failure_at, consecutive_failures, last_error) "
          + "VALUES (?, ?, ?, ?, 1, ?)")) {
        ins.setString(1, shop);
        ins.setString(2, stream);
        ins.setObject(3, odt(initialWatermark));
        ins.setObject(4, odt(now));
        ins.setString(5, cut);
        ins.executeUpdate();
      }
      return null;
    });
  }

  private static Checkpoint row(ResultSet rs) throws SQLException {
    return new Checkpoint(rs.getString("shop"), rs.getString("stream"),
        instant(rs, "watermark"), instant(rs, "last_success_at"),
        instant(rs, "last_failure_at"), rs.getInt("consecutive_failures"),
        rs.getString("last_error"));
  }
}
