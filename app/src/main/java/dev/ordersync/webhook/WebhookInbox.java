package dev.ordersync.webhook;

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

/** The durable record of webhook deliveries, and the intake's counters. */
public final class WebhookInbox {
  /** A deletion recorded and waiting for Shopify to confirm it before it is applied. */
  public static final String CONFIRMING = "CONFIRMING";

  private final Database db;

  public WebhookInbox(Database db) {
    this.db = db;
  }

  public record Delivery(String shop, String webhookId, String topic, String eventId,
      String apiVersion, String triggeredAt, Instant receivedAt, String body, String status,
      int attempts) {}

  public record Counters(String shop, long received, long duplicates, Instant lastReceivedAt,
      long pending) {}

  /**
   * Records a delivery, committed before this returns. False when the same webhook id was
   * recorded before (a duplicate delivery).
   */
  public boolean record(Delivery d) {
    try {
      return db.inTransaction(c -> {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO webhook_deliveries (shop, "
            + "webhook_id, topic, event_id, api_version, triggered_at, received_at, body, status,"
            + " attempts) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 0)")) {
          ps.setString(1, d.shop());
          ps.setString(2, d.webhookId());
          ps.setString(3, d.topic());
          ps.setString(4, d.eventId());
          ps.setString(5, d.apiVersion());
          ps.setString(6, d.triggeredAt());
          ps.setObject(7, odt(d.receivedAt()));
          ps.setString(8, d.body());
          ps.setString(9, d.status());
          ps.executeUpdate();
        }
        count(c, d.shop(), "received", d.receivedAt());
        return true;
      });
    } catch (dev.ordersync.db.DatabaseException e) {
      if (e.getCause() instanceof SQLException sql && "23505".equals(sql.getSQLState())) {
        countDuplicate(d.shop(), d.receivedAt());
        return false;
      }
      throw e;
    }
  }

  private void countDuplicate(String shop, Instant at) {
    db.inTransaction(c -> {
      count(c, shop, "duplicates", at);
      return null;
    });
  }

  private static void count(Connection c, String shop, String column, Instant at)
      throws SQLException {
    String last = at == null ? "" : ", last_received_at = ?";
    try (PreparedStatement up = c.prepareStatement("UPDATE webhook_counters SET " + column
        + " = " + column + " + 1" + last + " WHERE shop = ?")) {
      int i = 1;
      if (at != null) {
        up.setObject(i++, odt(at));
      }
      up.setString(i, shop);
      if (up.executeUpdate() == 1) {
        return;
      }
    }
    try (PreparedStatement ins = c.prepareStatement("INSERT INTO webhook_counters (shop, "
        + "received, rejected, duplicates, last_received_at) VALUES (?, ?, ?, ?, ?)")) {
      ins.setString(1, shop);
      ins.setLong(2, column.equals("received") ? 1 : 0);
      ins.setLong(3, 0); // refusals are counted in memory (WebhookStats), never written
      ins.setLong(4, column.equals("duplicates") ? 1 : 0);
      ins.setObject(5, odt(at));
      ins.executeUpdate();
    }
  }

  /**
   * The oldest pending deliveries. Not locked: two instances processing the same delivery store
   * the same version twice, which the store makes harmless.
   */
  public List<Delivery> pending(Connection c, int limit) throws SQLException {
    return withStatus(c, "PENDING", limit);
  }

  /** Deletions waiting for Shopify to confirm that the order is gone. */
  public List<Delivery> awaitingConfirmation(Connection c, int limit) throws SQLException {
    return withStatus(c, CONFIRMING, limit);
  }

  private List<Delivery> withStatus(Connection c, String status, int limit) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT * FROM webhook_deliveries WHERE "
        + "status = '" + status + "' ORDER BY received_at LIMIT " + limit)) {
      List<Delivery> out = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(new Delivery(rs.getString("shop"), rs.getString("webhook_id"),
              rs.getString("topic"), rs.getString("event_id"), rs.getString("api_version"),
              rs.getString("triggered_at"), instant(rs, "received_at"), rs.getString("body"),
              rs.getString("status"), rs.getInt("attempts")));
        }
      }
      return out;
    }
  }

  public void finish(Connection c, Delivery d, String status, String error, Instant now)
      throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("UPDATE webhook_deliveries SET status = ?, "
        + "attempts = attempts + 1, processed_at = ?, error = ? WHERE shop = ? AND "
        + "webhook_id = ?")) {
      ps.setString(1, status);
      ps.setObject(2, odt(now));
      ps.setString(3, Database.fitMessage(error));
      ps.setString(4, d.shop());
      ps.setString(5, d.webhookId());
      ps.executeUpdate();
    }
  }

  public List<Counters> counters() {
    return db.read(c -> {
      List<Counters> out = new ArrayList<>();
      try (PreparedStatement ps = c.prepareStatement("SELECT w.*, (SELECT COUNT(*) FROM "
          + "webhook_deliveries d WHERE d.shop = w.shop AND d.status IN ('PENDING', '" + CONFIRMING + "')) AS pending "
          + "FROM webhook_counters w ORDER BY shop");
          ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(new Counters(rs.getString("shop"), rs.getLong("received"),
              rs.getLong("duplicates"), instant(rs, "last_received_at"),
              rs.getLong("pending")));
        }
      }
      return out;
    });
  }
}
