package dev.ordersync.orders;

import dev.ordersync.db.Database;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.reflect.ConstructorMapper;
import org.jdbi.v3.core.statement.Update;

/**
 * Orders that could not be mapped or stored (invariant 6): kept with their raw payload, the error
 * and an attempt count, retried with backoff, and shown in reports. Resolved when the order is
 * later stored.
 */
public final class FailedOrders {
  /** The first retry comes with the next pass; each failure after it doubles the wait. */
  static final Duration FIRST_RETRY = Duration.ofMinutes(5);

  static final Duration LONGEST_WAIT = Duration.ofHours(6);

  /** From this many attempts on, the wait is the longest. */
  private static final int DOUBLINGS = 8;

  /** One statement, new failure or one more attempt; the next retry depends on the attempts. */
  private static final String RECORD =
      """
      MERGE INTO failed_orders f
      USING (VALUES (CAST(:shop AS VARCHAR), CAST(:key AS VARCHAR))) AS v(shop, order_key)
      ON f.shop = v.shop AND f.order_key = v.order_key
      WHEN MATCHED THEN UPDATE SET attempts = f.attempts + 1,
        last_failed_at = CAST(:now AS TIMESTAMP WITH TIME ZONE), next_retry_at = %s,
        error = CAST(:error AS VARCHAR), raw_payload = CAST(:raw AS VARCHAR),
        name = COALESCE(CAST(:name AS VARCHAR), f.name), path = CAST(:path AS VARCHAR),
        resolved_at = NULL
      WHEN NOT MATCHED THEN INSERT (shop, order_key, name, path, raw_payload, error, attempts,
        first_failed_at, last_failed_at, next_retry_at)
        VALUES (v.shop, v.order_key, CAST(:name AS VARCHAR), CAST(:path AS VARCHAR),
          CAST(:raw AS VARCHAR), CAST(:error AS VARCHAR), 1,
          CAST(:now AS TIMESTAMP WITH TIME ZONE), CAST(:now AS TIMESTAMP WITH TIME ZONE),
          CAST(:after1 AS TIMESTAMP WITH TIME ZONE))
      """
          .formatted(nextRetryByAttempts());

  private final Database db;

  public FailedOrders(Database db) {
    this.db = db;
  }

  public record Failure(
      String shop,
      String orderKey,
      String name,
      StorePath path,
      String rawPayload,
      String error,
      int attempts,
      Instant firstFailedAt,
      Instant lastFailedAt,
      Instant nextRetryAt) {}

  /** The key a failure is kept under: the order's GID, or a digest of a payload without one. */
  public static String keyOf(FetchedOrder f) {
    return f.id() != null ? f.id() : "sha256:" + sha256(f.raw() == null ? "" : f.raw());
  }

  /** Records a failure in the caller's transaction (a new row, or one more attempt). */
  public void record(Handle h, FetchedOrder f, StorePath path, Instant now) {
    Update merge =
        h.createUpdate(RECORD)
            .bind("shop", f.shop())
            .bind("key", keyOf(f))
            .bind("name", f.name())
            .bind("path", path.name())
            .bind("raw", f.raw() == null ? "" : f.raw())
            .bind("error", Database.fitMessage(f.error()))
            .bind("now", now);
    for (int attempts = 1; attempts <= DOUBLINGS; attempts++) {
      merge.bind("after" + attempts, now.plus(retryDelay(attempts)));
    }
    merge.execute();
  }

  /** The next retry after one more failure, by the attempts so far: 10 min after 1, ... */
  private static String nextRetryByAttempts() {
    StringBuilder s = new StringBuilder("CASE f.attempts");
    for (int attempts = 1; attempts < DOUBLINGS; attempts++) {
      s.append(" WHEN ")
          .append(attempts)
          .append(" THEN CAST(:after")
          .append(attempts + 1)
          .append(" AS TIMESTAMP WITH TIME ZONE)");
    }
    return s.append(" ELSE CAST(:after")
        .append(DOUBLINGS)
        .append(" AS TIMESTAMP WITH TIME ZONE) END")
        .toString();
  }

  /** The wait after the {@code attempts}-th failure: 5 min, 10, 20, ... at most 6 hours. */
  static Duration retryDelay(int attempts) {
    Duration d = FIRST_RETRY.multipliedBy(1L << Math.min(Math.max(attempts - 1, 0), 16));
    return d.compareTo(LONGEST_WAIT) > 0 ? LONGEST_WAIT : d;
  }

  /** Marks the failures of these orders of one shop resolved, in the caller's transaction. */
  public void resolve(Handle h, String shop, Collection<String> orderIds, Instant now) {
    if (orderIds.isEmpty()) {
      return;
    }
    // one statement a batch: most batches resolve nothing, and must cost next to nothing
    h.createUpdate(
            "UPDATE failed_orders SET resolved_at = :now WHERE shop = :shop "
                + "AND resolved_at IS NULL AND order_key IN (<ids>)")
        .bind("now", now)
        .bind("shop", shop)
        .bindList("ids", List.copyOf(orderIds))
        .execute();
  }

  /** Open failures, newest first; {@code shop} null for every shop. */
  public List<Failure> open(String shop) {
    return db.read(
        h -> {
          var q =
              h.createQuery(
                  "SELECT * FROM failed_orders WHERE resolved_at IS NULL"
                      + (shop == null ? "" : " AND shop = :shop")
                      + " ORDER BY last_failed_at DESC");
          if (shop != null) {
            q.bind("shop", shop);
          }
          return q.map(ConstructorMapper.of(Failure.class)).list();
        });
  }

  /** Open failures of a shop whose next retry is due, oldest retry first. */
  public List<Failure> due(String shop, Instant now, int limit) {
    return db.read(
        h ->
            h.createQuery(
                    "SELECT * FROM failed_orders WHERE resolved_at IS NULL "
                        + "AND shop = :shop AND next_retry_at <= :now ORDER BY next_retry_at LIMIT :limit")
                .bind("shop", shop)
                .bind("now", now)
                .bind("limit", limit)
                .map(ConstructorMapper.of(Failure.class))
                .list());
  }

  private static String sha256(String s) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
