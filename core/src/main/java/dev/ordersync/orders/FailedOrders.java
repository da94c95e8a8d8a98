package dev.ordersync.orders;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ordersync.db.Database;
import dev.ordersync.db.SqlErrors;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.JdbiException;
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

  /**
   * Whether a failure being recorded is of a version at least as new as the open one's: then its
   * payload and error replace the open one's (an older version failing late does not hide them).
   */
  private static final String AT_LEAST_AS_NEW =
      "(f.resolved_at IS NOT NULL OR f.failed_updated_at IS NULL "
          + "OR CAST(:version AS TIMESTAMP WITH TIME ZONE) >= f.failed_updated_at)";

  /** One statement, new failure or one more attempt; the next retry depends on the attempts. */
  private static final String RECORD =
      """
      MERGE INTO failed_orders f
      USING (VALUES (CAST(:shop AS VARCHAR), CAST(:key AS VARCHAR))) AS v(shop, order_key)
      ON f.shop = v.shop AND f.order_key = v.order_key
      WHEN MATCHED THEN UPDATE SET attempts = f.attempts + 1,
        last_failed_at = CAST(:now AS TIMESTAMP WITH TIME ZONE), next_retry_at = %1$s,
        error = CASE WHEN %2$s THEN CAST(:error AS VARCHAR) ELSE f.error END,
        raw_payload = CASE WHEN %2$s THEN CAST(:raw AS VARCHAR) ELSE f.raw_payload END,
        failed_updated_at = CASE WHEN %2$s THEN CAST(:version AS TIMESTAMP WITH TIME ZONE)
          ELSE f.failed_updated_at END,
        name = COALESCE(CAST(:name AS VARCHAR), f.name), path = CAST(:path AS VARCHAR),
        resolved_at = NULL
      WHEN NOT MATCHED THEN INSERT (shop, order_key, name, path, raw_payload, error, attempts,
        first_failed_at, last_failed_at, next_retry_at, failed_updated_at)
        VALUES (v.shop, v.order_key, CAST(:name AS VARCHAR), CAST(:path AS VARCHAR),
          CAST(:raw AS VARCHAR), CAST(:error AS VARCHAR), 1,
          CAST(:now AS TIMESTAMP WITH TIME ZONE), CAST(:now AS TIMESTAMP WITH TIME ZONE),
          CAST(:after1 AS TIMESTAMP WITH TIME ZONE), CAST(:version AS TIMESTAMP WITH TIME ZONE))
      """
          .formatted(nextRetryByAttempts(), AT_LEAST_AS_NEW);

  /** One more attempt for failures Shopify did not return when asked by id. */
  private static final String NOT_RETURNED =
      """
      UPDATE failed_orders f SET attempts = f.attempts + 1,
        last_failed_at = CAST(:now AS TIMESTAMP WITH TIME ZONE), next_retry_at = %s,
        error = CAST(:error AS VARCHAR)
      WHERE f.shop = :shop AND f.resolved_at IS NULL AND f.order_key IN (<ids>)
      """
          .formatted(nextRetryByAttempts());

  /** Failures that a fetch by id can retry: those kept under the order's GID. */
  private static final String RETRIABLE_KEY = "gid://shopify/Order/%";

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

  /**
   * Records a failure in the caller's transaction (a new row, or one more attempt). When the
   * database refuses the record itself (a name or payload it cannot hold), the failure is kept
   * without them, saying so: a failure is never lost, and never fails the batch around it.
   */
  public void record(Handle h, FetchedOrder f, StorePath path, Instant now) {
    h.savepoint("failure");
    try {
      merge(
          h, f.shop(), keyOf(f), f.name(), f.raw() == null ? "" : f.raw(), f.error(), f, path, now);
      h.releaseSavepoint("failure");
    } catch (JdbiException e) {
      SQLException sql = SqlErrors.sqlCause(e);
      if (sql == null || !SqlErrors.isOrderFault(sql)) {
        throw e;
      }
      h.rollbackToSavepoint("failure");
      merge(
          h,
          f.shop(),
          keyOf(f),
          null,
          "",
          f.error() + " (its payload could not be kept either: " + SqlErrors.describe(sql) + ")",
          f,
          path,
          now);
    }
  }

  private static void merge(
      Handle h,
      String shop,
      String key,
      String name,
      String raw,
      String error,
      FetchedOrder f,
      StorePath path,
      Instant now) {
    Update merge =
        h.createUpdate(RECORD)
            .bind("shop", shop)
            .bind("key", key)
            .bind("name", name)
            .bind("path", path.name())
            .bind("raw", raw)
            .bind("error", Database.fitMessage(error))
            .bind("version", versionOf(f))
            .bind("now", now);
    bindRetryTimes(merge, now);
    merge.execute();
  }

  private static void bindRetryTimes(Update update, Instant now) {
    for (int attempts = 1; attempts <= DOUBLINGS; attempts++) {
      update.bind("after" + attempts, now.plus(retryDelay(attempts)));
    }
  }

  /**
   * Counts one more attempt for failures that Shopify, asked by id, did not return (deleted there,
   * or never an order of this shop): they wait longer each time, and never hold up the others.
   * Those of orders whose deletion was confirmed are resolved instead.
   */
  public void notReturned(String shop, Collection<String> keys, Instant now) {
    if (keys.isEmpty()) {
      return;
    }
    db.inTransaction(
        h -> {
          h.createUpdate(
                  "UPDATE failed_orders SET resolved_at = :now WHERE shop = :shop "
                      + "AND resolved_at IS NULL AND order_key IN (<ids>) AND (EXISTS (SELECT 1 "
                      + "FROM orders o WHERE o.id = failed_orders.order_key AND o.shop = :shop "
                      + "AND o.deleted_at IS NOT NULL) OR EXISTS (SELECT 1 FROM order_tombstones t "
                      + "WHERE t.id = failed_orders.order_key AND t.shop = :shop))")
              .bind("now", now)
              .bind("shop", shop)
              .bindList("ids", List.copyOf(keys))
              .execute();
          Update update =
              h.createUpdate(NOT_RETURNED)
                  .bind("shop", shop)
                  .bindList("ids", List.copyOf(keys))
                  .bind(
                      "error",
                      "Shopify did not return this order when asked by id (deleted there, or not "
                          + "an order of this shop); asked again later")
                  .bind("now", now);
          bindRetryTimes(update, now);
          return update.execute();
        });
  }

  /**
   * The version a failure is about: the order's {@code updatedAt}, or the payload's {@code
   * updatedAt} / {@code updated_at} when it could not be mapped; null when it says none.
   */
  static Instant versionOf(FetchedOrder f) {
    if (f.order() != null) {
      return f.order().updatedAt();
    }
    if (f.refusedVersion() != null) {
      return f.refusedVersion();
    }
    if (f.raw() == null || f.raw().isEmpty()) {
      return null;
    }
    try {
      JsonNode n = VERSION_READER.readTree(f.raw());
      if (n == null || !n.isObject()) {
        return null;
      }
      JsonNode v = n.has("updatedAt") ? n.get("updatedAt") : n.get("updated_at");
      return v == null || !v.isTextual() ? null : OffsetDateTime.parse(v.asText()).toInstant();
    } catch (IOException | DateTimeParseException e) {
      return null;
    }
  }

  private static final ObjectMapper VERSION_READER = new ObjectMapper();

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

  /**
   * Resolves, in the caller's transaction, the failures of these orders of one shop that the
   * version now stored makes moot: it is at least as new as the failed one. {@code stored}: orders
   * this batch stored (a failure that names no version is resolved by them too); {@code failed}:
   * orders that failed in it (an older version failing late is moot at once).
   */
  public void resolve(
      Handle h, String shop, Collection<String> stored, Collection<String> failed, Instant now) {
    // one statement each: most batches resolve nothing, and must cost next to nothing
    if (!stored.isEmpty()) {
      h.createUpdate(
              "UPDATE failed_orders SET resolved_at = :now WHERE shop = :shop "
                  + "AND resolved_at IS NULL AND order_key IN (<ids>) "
                  + "AND (failed_updated_at IS NULL OR "
                  + STORED_AT_LEAST_AS_NEW
                  + ")")
          .bind("now", now)
          .bind("shop", shop)
          .bindList("ids", List.copyOf(stored))
          .execute();
    }
    if (!failed.isEmpty()) {
      h.createUpdate(
              "UPDATE failed_orders SET resolved_at = :now WHERE shop = :shop "
                  + "AND resolved_at IS NULL AND order_key IN (<ids>) "
                  + "AND failed_updated_at IS NOT NULL AND "
                  + STORED_AT_LEAST_AS_NEW)
          .bind("now", now)
          .bind("shop", shop)
          .bindList("ids", List.copyOf(failed))
          .execute();
    }
  }

  private static final String STORED_AT_LEAST_AS_NEW =
      "EXISTS (SELECT 1 FROM orders o WHERE o.id = failed_orders.order_key "
          + "AND o.shop = failed_orders.shop AND o.updated_at >= failed_orders.failed_updated_at)";

  /**
   * Resolves the failures of orders Shopify deleted (a confirmed deletion was stored): there is
   * nothing left to fetch. In the caller's transaction.
   */
  public void resolveDeleted(Handle h, String shop, Collection<String> ids, Instant now) {
    if (ids.isEmpty()) {
      return;
    }
    h.createUpdate(
            "UPDATE failed_orders SET resolved_at = :now WHERE shop = :shop "
                + "AND resolved_at IS NULL AND order_key IN (<ids>)")
        .bind("now", now)
        .bind("shop", shop)
        .bindList("ids", List.copyOf(ids))
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

  /**
   * Open failures of a shop that a fetch by id can retry (kept under their GID) and whose next
   * retry is due, oldest retry first. A failure kept under a digest (its payload named no order)
   * cannot be fetched: it stays listed, and is never taken here, so it never holds up the others.
   */
  public List<Failure> due(String shop, Instant now, int limit) {
    return db.read(
        h ->
            h.createQuery(
                    "SELECT * FROM failed_orders WHERE resolved_at IS NULL AND shop = :shop "
                        + "AND order_key LIKE :retriable AND next_retry_at <= :now "
                        + "ORDER BY next_retry_at LIMIT :limit")
                .bind("retriable", RETRIABLE_KEY)
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
