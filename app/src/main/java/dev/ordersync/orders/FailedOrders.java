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
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;

/**
 * Orders that could not be mapped or stored (invariant 6): kept with their raw payload, the error
 * and an attempt count, retried with backoff, and shown in reports. Resolved when the order is
 * later stored.
 */
public final class FailedOrders {
  /** The first retry comes with the next pass; each failure after it doubles the wait. */
  static final Duration FIRST_RETRY = Duration.ofMinutes(5);
  static final Duration LONGEST_WAIT = Duration.ofHours(6);

  private final Database db;

  public FailedOrders(Database db) {
    this.db = db;
  }

  public record Failure(String shop, String orderKey, String name, StorePath path,
      String rawPayload, String error, int attempts, Instant firstFailedAt,
      Instant lastFailedAt, Instant nextRetryAt) {}

  /** The key a failure is kept under: the order's GID, or a digest of a payload without one. */
  public static String keyOf(FetchedOrder f) {
    return f.id() != null ? f.id() : "sha256:" + sha256(f.raw() == null ? "" : f.raw());
  }

  /** Records a failure in the caller's transaction (a new row, or one more attempt). */
  public void record(Connection c, FetchedOrder f, StorePath path, Instant now)
      throws SQLException {
    String key = keyOf(f);
    String cut = Database.fitMessage(f.error());
    String raw = f.raw() == null ? "" : f.raw();
    int attempts;
    try (PreparedStatement ps = c.prepareStatement(
        "SELECT attempts FROM failed_orders WHERE shop = ? AND order_key = ?")) {
      ps.setString(1, f.shop());
      ps.setString(2, key);
      try (ResultSet rs = ps.executeQuery()) {
        attempts = rs.next() ? rs.getInt(1) : 0;
      }
    }
    Instant next = now.plus(retryDelay(attempts + 1));
    if (attempts > 0) {
      try (PreparedStatement up = c.prepareStatement("UPDATE failed_orders SET attempts = "
          + "attempts + 1, last_failed_at = ?, next_retry_at = ?, error = ?, raw_payload = ?, "
          + "name = COALESCE(?, name), path = ?, resolved_at = NULL "
          + "WHERE shop = ? AND order_key = ?")) {
        up.setObject(1, odt(now));
        up.setObject(2, odt(next));
        up.setString(3, cut);
        up.setString(4, raw);
        up.setString(5, f.name());
        up.setString(6, path.name());
        up.setString(7, f.shop());
        up.setString(8, key);
        up.executeUpdate();
      }
      return;
    }
    try (PreparedStatement ins = c.prepareStatement("INSERT INTO failed_orders (shop, order_key,"
        + " name, path, raw_payload, error, attempts, first_failed_at, last_failed_at, "
        + "next_retry_at) VALUES (?, ?, ?, ?, ?, ?, 1, ?, ?, ?)")) {
      ins.setString(1, f.shop());
      ins.setString(2, key);
      ins.setString(3, f.name());
      ins.setString(4, path.name());
      ins.setString(5, raw);
      ins.setString(6, cut);
      ins.setObject(7, odt(now));
      ins.setObject(8, odt(now));
      ins.setObject(9, odt(next));
      ins.executeUpdate();
    }
  }

  /** The wait after the {@code attempts}-th failure: 5 min, 10, 20, ... at most 6 hours. */
  static Duration retryDelay(int attempts) {
    Duration d = FIRST_RETRY.multipliedBy(1L << Math.min(Math.max(attempts - 1, 0), 16));
    return d.compareTo(LONGEST_WAIT) > 0 ? LONGEST_WAIT : d;
  }

  /** Marks the failures of these orders of one shop resolved, in the caller's transaction. */
  public void resolve(Connection c, String shop, Collection<String> orderIds, Instant now)
      throws SQLException {
    if (orderIds.isEmpty()) {
      return;
    }
    // one statement a batch: most batches resolve nothing, and must cost next to nothing
    try (PreparedStatement ps = c.prepareStatement("UPDATE failed_orders SET resolved_at = ? "
        + "WHERE shop = ? AND resolved_at IS NULL AND order_key IN ("
        + "?, ".repeat(orderIds.size() - 1) + "?)")) {
      ps.setObject(1, odt(now));
      ps.setString(2, shop);
      int i = 3;
      for (String id : orderIds) {
        ps.setString(i++, id);
      }
      ps.executeUpdate();
    }
  }

  /** Open failures, newest first; {@code shop} null for every shop. */
  public List<Failure> open(String shop) {
    return select("resolved_at IS NULL" + (shop == null ? "" : " AND shop = ?")
        + " ORDER BY last_failed_at DESC", shop == null ? new Object[0] : new Object[] {shop});
  }

  /** Open failures of a shop whose next retry is due, oldest retry first. */
  public List<Failure> due(String shop, Instant now, int limit) {
    return select("resolved_at IS NULL AND shop = ? AND next_retry_at <= ? "
        + "ORDER BY next_retry_at LIMIT " + limit, new Object[] {shop, odt(now)});
  }

  private List<Failure> select(String where, Object[] params) {
    return db.read(c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT * FROM failed_orders WHERE "
          + where)) {
        for (int i = 0; i < params.length; i++) {
          ps.setObject(i + 1, params[i]);
        }
        List<Failure> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            out.add(new Failure(rs.getString("shop"), rs.getString("order_key"),
                rs.getString("name"), StorePath.valueOf(rs.getString("path")),
                rs.getString("raw_payload"), rs.getString("error"), rs.getInt("attempts"),
                instant(rs, "first_failed_at"), instant(rs, "last_failed_at"),
                instant(rs, "next_retry_at")));
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
