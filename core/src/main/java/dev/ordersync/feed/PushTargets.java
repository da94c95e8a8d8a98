package dev.ordersync.feed;

import dev.ordersync.db.Database;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.mapper.reflect.ConstructorMapper;

/**
 * Where each push target stands (feed_consumers): acknowledged up to {@code position}, the failed
 * attempts at the next batch and when to try again, or why the push stopped.
 */
public final class PushTargets {
  /** One push target as stored. */
  public record Target(
      String name,
      String target,
      long position,
      Instant acknowledgedAt,
      int attempts,
      Instant nextAttemptAt,
      String lastError,
      Instant stoppedAt,
      String stoppedReason) {

    public boolean stopped() {
      return stoppedAt != null;
    }
  }

  private final Database db;

  public PushTargets(Database db) {
    this.db = db;
  }

  public List<Target> all() {
    return db.read(
        h ->
            h.createQuery("SELECT * FROM feed_consumers ORDER BY name")
                .map(ConstructorMapper.of(Target.class))
                .list());
  }

  public Optional<Target> get(String name) {
    return db.read(
        h ->
            h.createQuery("SELECT * FROM feed_consumers WHERE name = :name")
                .bind("name", name)
                .map(ConstructorMapper.of(Target.class))
                .findOne());
  }

  /** The target, created at {@code start} when it is new. */
  Target open(String name, String target, long start) {
    db.inTransaction(
        h ->
            h.createUpdate(
                    "MERGE INTO feed_consumers c USING (VALUES (CAST(:name AS VARCHAR))) AS v(name) "
                        + "ON c.name = v.name "
                        + "WHEN MATCHED THEN UPDATE SET target = CAST(:target AS VARCHAR) "
                        + "WHEN NOT MATCHED THEN INSERT (name, target, position, attempts) "
                        + "VALUES (v.name, CAST(:target AS VARCHAR), :start, 0)")
                .bind("name", name)
                .bind("target", target)
                .bind("start", start)
                .execute());
    return get(name).orElseThrow();
  }

  /**
   * Moves the target from {@code from} to {@code to}, clearing its failures; false when it was no
   * longer at {@code from} (another instance pushed meanwhile: nothing is moved twice).
   */
  boolean acknowledge(String name, long from, long to, Instant now) {
    return db.inTransaction(
            h ->
                h.createUpdate(
                        "UPDATE feed_consumers SET position = :to, acknowledged_at = :now, "
                            + "attempts = 0, next_attempt_at = NULL, last_error = NULL "
                            + "WHERE name = :name AND position = :from")
                    .bind("name", name)
                    .bind("from", from)
                    .bind("to", to)
                    .bind("now", now)
                    .execute())
        == 1;
  }

  void failed(String name, int attempts, Instant nextAttemptAt, String error) {
    db.inTransaction(
        h ->
            h.createUpdate(
                    "UPDATE feed_consumers SET attempts = :attempts, "
                        + "next_attempt_at = :next, last_error = :error WHERE name = :name")
                .bind("name", name)
                .bind("attempts", attempts)
                .bind("next", nextAttemptAt)
                .bind("error", error)
                .execute());
  }

  void stop(String name, String reason, Instant now) {
    db.inTransaction(
        h ->
            h.createUpdate(
                    "UPDATE feed_consumers SET stopped_at = :now, stopped_reason = :reason "
                        + "WHERE name = :name")
                .bind("name", name)
                .bind("reason", reason)
                .bind("now", now)
                .execute());
  }

  /** Clears a stop: the push tries the refused batch again. True when it had stopped. */
  boolean resume(String name) {
    return db.inTransaction(
            h ->
                h.createUpdate(
                        "UPDATE feed_consumers SET stopped_at = NULL, stopped_reason = NULL, "
                            + "attempts = 0, next_attempt_at = NULL WHERE name = :name "
                            + "AND stopped_at IS NOT NULL")
                    .bind("name", name)
                    .execute())
        == 1;
  }
}
