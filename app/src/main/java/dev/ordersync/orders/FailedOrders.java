package dev.ordersync.orders;

import static dev.ordersync.orders.OrderStore.instant;
import static dev.ordersync.orders.OrderStore.odt;

import dev.ordersync.db.Database;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Orders that could not be mapped or stored (invariant 6): kept with their raw payload, the error
 * and an attempt count, retried, and shown in reports. Resolved when the order is later stored.
 */
public final class FailedOrders {
  private final Database db;

  public FailedOrders(Database db) {
    this.db = db;
  }

  public record Failure(String shop, String orderKey, StorePath path, String rawPayload,
      String error, int attempts, Instant firstFailedAt, Instant lastFailedAt) {}

  /** Records a failure in the caller's transaction (a new row, or one more attempt). */
  public void record(Connection c, String shop, String orderId, StorePath path, String raw,
      String error, Instant now) throws SQLException {
    String key = orderId != null ? orderId : "sha256:" + sha256(raw);
    String cut = Database.fitMessage(error);
    try (PreparedStatement up = c.prepareStatement("UPDATE failed_orders SET attempts = attempts"
        + " + 1, last_failed_at = ?, error = ?, raw_payload = ?, resolved_at = NULL "
        + "WHERE shop = ? AND order_key = ?")) {
      up.setObject(1, odt(now));
      up.setString(2, cut);
      up.setString(3, raw);
      up.setString(4, shop);
      up.setString(5, key);
      if (up.executeUpdate() == 1) {
        return;
      }
    }
    try (PreparedStatement ins = c.prepareStatement("INSERT INTO failed_orders (shop, order_key,"
        + " path, raw_payload, error, attempts, first_failed_at, last_failed_at) "
        + "VALUES (?, ?, ?, ?, ?, 1, ?, ?)")) {
      ins.setString(1, shop);
      ins.setString(2, key);
      ins.setString(3, path.name());
      ins.setString(4, raw);
      ins.setString(5, cut);
      ins.setObject(6, odt(now));
      ins.setObject(7, odt(now));
      ins.executeUpdate();
    }
  }

  /** Marks the failures of these orders resolved, in the caller's transaction. */
  public void resolve(Connection c, String shop, List<String> orderIds, Instant now)
      throws SQLException {
    if (orderIds.isEmpty()) {
      return;
    }
    try (PreparedStatement ps = c.prepareStatement("UPDATE failed_orders SET resolved_at = ? "
        + "WHERE shop = ? AND order_key = ? AND resolved_at IS NULL")) {
      for (String id : orderIds) {
        ps.setObject(1, odt(now));
        ps.setString(2, shop);
        ps.setString(3, id);
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  public List<Failure> open(String shop) {
    return db.read(c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT * FROM failed_orders WHERE "
          + "resolved_at IS NULL" + (shop == null ? "" : " AND shop = ?")
          + " ORDER BY last_failed_at DESC")) {
        if (shop != null) {
          ps.setString(1, shop);
        }
        List<Failure> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            out.add(new Failure(rs.getString("shop"), rs.getString("order_key"),
                StorePath.valueOf(rs.getString("path")), rs.getString("raw_payload"),
                rs.getString("error"), rs.getInt("attempts"), instant(rs, "first_failed_at"),
                instant(rs, "last_failed_at")));
          }
        }
        return out;
      }
    });
  }

  private static String sha256(String s) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
          .digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
