package dev.ordersync.alerts;

import dev.ordersync.db.Database;
import dev.ordersync.db.Times;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** The alerts raised and not yet cleared, and what of them is still to be sent (V11). */
public final class AlertLog {
  private final Database db;

  public AlertLog(Database db) {
    this.db = db;
  }

  /** A message to send: the alert raised, or (resolved) cleared. */
  public record Pending(String key, String summary, boolean resolved, int attempts) {}

  /**
   * Records which conditions hold now: a new one is opened (to be sent), one no longer holding is
   * resolved (to be sent once more); one that holds still changes nothing.
   */
  public void update(List<Alert> holding, Instant now) {
    db.inTransaction(
        h -> {
          Set<String> open =
              new HashSet<>(
                  h.createQuery("SELECT alert_key FROM alerts WHERE resolved_at IS NULL")
                      .mapTo(String.class)
                      .list());
          Set<String> keys = new HashSet<>();
          for (Alert a : holding) {
            keys.add(a.key());
            if (!open.contains(a.key())) {
              // a row still sending an earlier "resolved" is replaced: the condition is back
              h.createUpdate("DELETE FROM alerts WHERE alert_key = :key")
                  .bind("key", a.key())
                  .execute();
              h.createUpdate(
                      "INSERT INTO alerts (alert_key, summary, opened_at, opened_sent, "
                          + "attempts, next_attempt_at) VALUES (:key, :summary, :now, FALSE, 0, "
                          + ":now)")
                  .bind("key", a.key())
                  .bind("summary", Database.fitMessage(a.summary()))
                  .bind("now", now)
                  .execute();
            }
          }
          for (String key : open) {
            if (!keys.contains(key)) {
              h.createUpdate(
                      "UPDATE alerts SET resolved_at = :now, attempts = 0, next_attempt_at = :now "
                          + "WHERE alert_key = :key")
                  .bind("key", key)
                  .bind("now", now)
                  .execute();
            }
          }
          return null;
        });
  }

  /** What is due to be sent: alerts not yet sent, clearances not yet sent. */
  public List<Pending> due(Instant now) {
    return db.read(
        h ->
            h.createQuery(
                    "SELECT alert_key, summary, resolved_at, attempts FROM alerts "
                        + "WHERE (opened_sent = FALSE OR resolved_at IS NOT NULL) "
                        + "AND next_attempt_at <= :now ORDER BY opened_at")
                .bind("now", now)
                .map(
                    (rs, ctx) ->
                        new Pending(
                            rs.getString("alert_key"),
                            rs.getString("summary"),
                            Times.instant(rs, "resolved_at") != null,
                            rs.getInt("attempts")))
                .list());
  }

  public void sent(Pending p) {
    db.inTransaction(
        h ->
            p.resolved()
                ? h.createUpdate("DELETE FROM alerts WHERE alert_key = :key")
                    .bind("key", p.key())
                    .execute()
                : h.createUpdate(
                        "UPDATE alerts SET opened_sent = TRUE, attempts = 0 WHERE alert_key = :key")
                    .bind("key", p.key())
                    .execute());
  }

  public void failed(Pending p, Instant retryAt) {
    db.inTransaction(
        h ->
            h.createUpdate(
                    "UPDATE alerts SET attempts = attempts + 1, next_attempt_at = :at "
                        + "WHERE alert_key = :key")
                .bind("key", p.key())
                .bind("at", retryAt)
                .execute());
  }
}
