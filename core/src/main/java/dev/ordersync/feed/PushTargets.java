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

  /**
   * The target, created at {@code start} when it is new. A target whose receiver changed (another
   * URL) is a new receiver: it starts again at {@code start}, its failures and stop cleared; the
   * answer says so.
   */
  Opened open(String name, String target, long start) {
    return db.inTransaction(
        h -> {
          Optional<Target> before =
              h.createQuery("SELECT * FROM feed_consumers WHERE name = :name FOR UPDATE")
                  .bind("name", name)
                  .map(ConstructorMapper.of(Target.class))
                  .findOne();
          if (before.isEmpty()) {
            h.createUpdate(
                    "INSERT INTO feed_consumers (name, target, position, attempts) "
                        + "VALUES (:name, :target, :start, 0)")
                .bind("name", name)
                .bind("target", target)
                .bind("start", start)
                .execute();
          } else if (!before.get().target().equals(target)) {
            h.createUpdate(
                    "UPDATE feed_consumers SET target = :target, position = :start, "
                        + "acknowledged_at = NULL, attempts = 0, next_attempt_at = NULL, "
                        + "last_error = NULL, stopped_at = NULL, stopped_reason = NULL "
                        + "WHERE name = :name")
                .bind("name", name)
                .bind("target", target)
                .bind("start", start)
                .execute();
          }
          Target now =
              h.createQuery("SELECT * FROM feed_consumers WHERE name = :name")
                  .bind("name", name)
                  .map(ConstructorMapper.of(Target.class))
                  .one();
          return new Opened(
              now, before.filter(b -> !b.target().equals(target)).map(Target::target));
        });
  }

  /** A target as opened; {@code replaced} the receiver it had before, when that was another. */
  record Opened(Target target, Optional<String> replaced) {}

  /**
   * Claims the target's push for {@code claimant} until {@code until}: true when no other instance
   * holds an unexpired claim. Renewed before every batch.
   */
  boolean claim(String name, String claimant, Instant now, Instant until) {
    return db.inTransaction(
            h ->
                h.createUpdate(
                        "UPDATE feed_consumers SET claimed_by = :claimant, claimed_until = :until "
                            + "WHERE name = :name AND (claimed_by IS NULL OR claimed_by = :claimant "
                            + "OR claimed_until < :now)")
                    .bind("name", name)
                    .bind("claimant", claimant)
                    .bind("until", until)
                    .bind("now", now)
                    .execute())
        == 1;
  }

  /** Ends {@code claimant}'s claim, if it still holds it. */
  void release(String name, String claimant) {
    db.inTransaction(
        h ->
            h.createUpdate(
                    "UPDATE feed_consumers SET claimed_by = NULL, claimed_until = NULL "
                        + "WHERE name = :name AND claimed_by = :claimant")
                .bind("name", name)
                .bind("claimant", claimant)
                .execute());
  }

  /**
   * Moves the target from {@code from} to {@code to}, clearing its failures; false when it was no
   * longer at {@code from} or {@code claimant} no longer holds the claim (another instance pushed
   * meanwhile: nothing is moved twice, nor back).
   */
  boolean acknowledge(String name, String claimant, long from, long to, Instant now) {
    return db.inTransaction(
            h ->
                h.createUpdate(
                        "UPDATE feed_consumers SET position = :to, acknowledged_at = :now, "
                            + "attempts = 0, next_attempt_at = NULL, last_error = NULL "
                            + "WHERE name = :name AND position = :from AND claimed_by = :claimant")
                    .bind("name", name)
                    .bind("claimant", claimant)
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
