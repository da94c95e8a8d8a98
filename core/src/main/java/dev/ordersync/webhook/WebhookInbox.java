package dev.ordersync.webhook;

import dev.ordersync.config.ShopDomain;
import dev.ordersync.db.Database;
import dev.ordersync.db.DatabaseException;
import dev.ordersync.db.Times;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.reflect.ConstructorMapper;
import org.jdbi.v3.core.statement.PreparedBatch;

/** The durable record of webhook deliveries, and the intake's counters. */
public final class WebhookInbox {
  private static final String COUNT =
      """
      MERGE INTO webhook_counters t
      USING (VALUES (CAST(:shop AS VARCHAR))) AS v(shop) ON t.shop = v.shop
      WHEN MATCHED THEN UPDATE SET received = t.received + :received,
        duplicates = t.duplicates + :duplicates,
        last_received_at = CAST(:at AS TIMESTAMP WITH TIME ZONE)
      WHEN NOT MATCHED THEN INSERT (shop, received, rejected, duplicates, last_received_at)
        VALUES (v.shop, :received, 0, :duplicates, CAST(:at AS TIMESTAMP WITH TIME ZONE))
      """;

  /** How much of the deliveries' history one transaction of {@link #prune} deletes. */
  private static final Duration PRUNE_SLICE = Duration.ofHours(1);

  private final Database db;

  public WebhookInbox(Database db) {
    this.db = db;
  }

  public record Delivery(
      String shop,
      String webhookId,
      String topic,
      String eventId,
      String apiVersion,
      String triggeredAt,
      Instant receivedAt,
      String body,
      DeliveryStatus status,
      int attempts) {}

  public record Counters(
      String shop,
      long received,
      long duplicates,
      Instant lastReceivedAt,
      long pending,
      long refused,
      Instant lastRefusedAt,
      String lastRefusal) {}

  /** Adds refusals counted in memory ({@link WebhookStats#takeRefusals}) to the store. */
  public void recordRefusals(Map<String, Map<WebhookStats.Outcome, Long>> refusals, Instant now) {
    if (refusals.isEmpty()) {
      return;
    }
    db.inTransaction(
        h -> {
          for (Map.Entry<String, Map<WebhookStats.Outcome, Long>> shop : refusals.entrySet()) {
            for (Map.Entry<WebhookStats.Outcome, Long> r : shop.getValue().entrySet()) {
              int updated =
                  h.createUpdate(
                          "UPDATE webhook_refusals SET refused = refused + :n, last_at = :now "
                              + "WHERE shop = :shop AND reason = :reason")
                      .bind("n", r.getValue())
                      .bind("now", now)
                      .bind("shop", shop.getKey())
                      .bind("reason", r.getKey().name())
                      .execute();
              if (updated == 0) {
                h.createUpdate(
                        "INSERT INTO webhook_refusals (shop, reason, refused, last_at) "
                            + "VALUES (:shop, :reason, :n, :now)")
                    .bind("n", r.getValue())
                    .bind("now", now)
                    .bind("shop", shop.getKey())
                    .bind("reason", r.getKey().name())
                    .execute();
              }
            }
          }
          return null;
        });
  }

  /** The refusals kept, by shop label and reason. */
  public Map<String, Map<WebhookStats.Outcome, Long>> refusals() {
    Map<String, Map<WebhookStats.Outcome, Long>> out = new LinkedHashMap<>();
    db.read(
            h ->
                h.createQuery("SELECT shop, reason, refused FROM webhook_refusals")
                    .mapToMap()
                    .list())
        .forEach(
            r ->
                out.computeIfAbsent(
                        (String) r.get("shop"),
                        k -> new java.util.EnumMap<>(WebhookStats.Outcome.class))
                    .put(
                        WebhookStats.Outcome.valueOf((String) r.get("reason")),
                        ((Number) r.get("refused")).longValue()));
    return out;
  }

  /**
   * Records a delivery, committed before this returns. False when the same webhook id was recorded
   * before (a duplicate delivery).
   */
  public boolean record(Delivery d) {
    try {
      return db.inTransaction(
          h -> {
            h.createUpdate(
                    "INSERT INTO webhook_deliveries (shop, webhook_id, topic, event_id, "
                        + "api_version, triggered_at, received_at, body, status, attempts) VALUES "
                        + "(:shop, :webhookId, :topic, :eventId, :apiVersion, :triggeredAt, "
                        + ":receivedAt, :body, :status, 0)")
                .bindMethods(d)
                .execute();
            count(h, d.shop(), 1, 0, d.receivedAt());
            return true;
          });
    } catch (DatabaseException e) {
      if (e.getCause() != null && "23505".equals(sqlState(e))) {
        db.inTransaction(
            h -> {
              count(h, d.shop(), 0, 1, d.receivedAt());
              return null;
            });
        return false;
      }
      throw e;
    }
  }

  /**
   * Records several deliveries in one transaction, committed before this returns: for each, true
   * when recorded, false when its webhook id was recorded before (or earlier in the same list).
   * Throws when the database refuses the transaction, e.g. because another instance recorded one of
   * them at this moment; {@link #record} then settles each on its own.
   */
  public List<Boolean> recordAll(List<Delivery> deliveries) {
    return db.inTransaction(
        h -> {
          Map<String, List<String>> idsByShop = new LinkedHashMap<>();
          for (Delivery d : deliveries) {
            idsByShop.computeIfAbsent(d.shop(), x -> new ArrayList<>()).add(d.webhookId());
          }
          Set<String> seen = new HashSet<>();
          for (Map.Entry<String, List<String>> e : idsByShop.entrySet()) {
            for (String id :
                h.createQuery(
                        "SELECT webhook_id FROM webhook_deliveries WHERE shop = :shop "
                            + "AND webhook_id IN (<ids>)")
                    .bind("shop", e.getKey())
                    .bindList("ids", e.getValue())
                    .mapTo(String.class)
                    .list()) {
              seen.add(e.getKey() + "\n" + id);
            }
          }
          List<Boolean> fresh = new ArrayList<>(deliveries.size());
          PreparedBatch insert =
              h.prepareBatch(
                  "INSERT INTO webhook_deliveries (shop, webhook_id, topic, event_id, "
                      + "api_version, triggered_at, received_at, body, status, attempts) VALUES "
                      + "(:shop, :webhookId, :topic, :eventId, :apiVersion, :triggeredAt, "
                      + ":receivedAt, :body, :status, 0)");
          Map<String, int[]> counts = new LinkedHashMap<>();
          Map<String, Instant> last = new HashMap<>();
          for (Delivery d : deliveries) {
            boolean isNew = seen.add(d.shop() + "\n" + d.webhookId());
            fresh.add(isNew);
            if (isNew) {
              insert.bindMethods(d).add();
            }
            counts.computeIfAbsent(d.shop(), s -> new int[2])[isNew ? 0 : 1]++;
            last.merge(d.shop(), d.receivedAt(), (a, b) -> a.isAfter(b) ? a : b);
          }
          if (insert.size() > 0) {
            insert.execute();
          }
          for (Map.Entry<String, int[]> c : counts.entrySet()) {
            count(h, c.getKey(), c.getValue()[0], c.getValue()[1], last.get(c.getKey()));
          }
          return fresh;
        });
  }

  private static String sqlState(DatabaseException e) {
    SQLException sql = dev.ordersync.db.SqlErrors.sqlCause(e);
    return sql == null ? null : sql.getSQLState();
  }

  private static void count(Handle h, String shop, int received, int duplicates, Instant at) {
    h.createUpdate(COUNT)
        .bind("shop", shop)
        .bind("received", received)
        .bind("duplicates", duplicates)
        .bind("at", at)
        .execute();
  }

  /**
   * Claims, for {@code ttl}, the oldest pending deliveries that no live claim holds, so that of
   * several instances on one database only one processes each. Rows another instance is claiming at
   * this moment are skipped, not waited for; the claim of an instance that died runs out and the
   * next claim takes its deliveries over.
   */
  public List<Delivery> claimPending(String claimant, Instant now, Duration ttl, int limit) {
    return claim(DeliveryStatus.PENDING, claimant, now, ttl, limit);
  }

  /** Claims deletions waiting for Shopify to confirm that the order is gone, as pending ones. */
  public List<Delivery> claimAwaitingConfirmation(
      String claimant, Instant now, Duration ttl, int limit) {
    return claim(DeliveryStatus.CONFIRMING, claimant, now, ttl, limit);
  }

  private List<Delivery> claim(
      DeliveryStatus status, String claimant, Instant now, Duration ttl, int limit) {
    return db.inTransaction(
        h -> {
          List<Delivery> claimed =
              h.createQuery(
                      "SELECT * FROM webhook_deliveries WHERE status = :status "
                          + "AND (claimed_until IS NULL OR claimed_until < :now) "
                          + "ORDER BY received_at LIMIT :limit FOR UPDATE SKIP LOCKED")
                  .bind("status", status)
                  .bind("now", now)
                  .bind("limit", limit)
                  .map(ConstructorMapper.of(Delivery.class))
                  .list();
          setClaim(h, claimed, claimant, now.plus(ttl));
          return claimed;
        });
  }

  /**
   * Deletes the deliveries received before {@code cutoff} that are settled (processed, failed into
   * failed_orders, or ignored), an hour of them a transaction, oldest first, so that the first
   * prune of a long history never holds one huge transaction; pending ones and deletions waiting
   * for Shopify's confirmation are kept. How many were deleted.
   */
  public int prune(Instant cutoff) {
    List<String> settled =
        List.of(
            DeliveryStatus.PROCESSED.name(),
            DeliveryStatus.FAILED.name(),
            DeliveryStatus.IGNORED.name());
    int deleted = 0;
    for (String status : settled) {
      for (Optional<Instant> oldest = oldest(status, cutoff);
          oldest.isPresent();
          oldest = oldest(status, cutoff)) {
        Instant to = oldest.get().plus(PRUNE_SLICE);
        Instant end = to.isBefore(cutoff) ? to : cutoff;
        deleted +=
            db.inTransaction(
                h ->
                    h.createUpdate(
                            "DELETE FROM webhook_deliveries WHERE status = :status "
                                + "AND received_at < :end")
                        .bind("status", status)
                        .bind("end", end)
                        .execute());
      }
    }
    return deleted;
  }

  private Optional<Instant> oldest(String status, Instant cutoff) {
    return db.read(
        h ->
            h.createQuery(
                    "SELECT MIN(received_at) FROM webhook_deliveries WHERE status = :status "
                        + "AND received_at < :cutoff")
                .bind("status", status)
                .bind("cutoff", cutoff)
                .mapTo(Instant.class)
                .findOne());
  }

  /**
   * Gives deliveries that {@code claimant} claimed back before their claim runs out, for the next
   * round to take; a claim that ran out and was taken by another instance meanwhile is left alone.
   */
  public void release(List<Delivery> deliveries, String claimant) {
    if (deliveries.isEmpty()) {
      return;
    }
    db.inTransaction(
        h -> {
          PreparedBatch release =
              h.prepareBatch(
                  "UPDATE webhook_deliveries SET claimed_by = NULL, claimed_until = NULL "
                      + "WHERE shop = :shop AND webhook_id = :id AND claimed_by = :claimant");
          for (Delivery d : deliveries) {
            release
                .bind("shop", d.shop())
                .bind("id", d.webhookId())
                .bind("claimant", claimant)
                .add();
          }
          release.execute();
          return null;
        });
  }

  private static void setClaim(
      Handle h, List<Delivery> deliveries, String claimant, Instant until) {
    if (deliveries.isEmpty()) {
      return;
    }
    PreparedBatch claim =
        h.prepareBatch(
            "UPDATE webhook_deliveries SET claimed_by = :claimant, "
                + "claimed_until = :until WHERE shop = :shop AND webhook_id = :id");
    for (Delivery d : deliveries) {
      claim
          .bindByType("claimant", claimant, String.class)
          .bindByType("until", until, Instant.class)
          .bind("shop", d.shop())
          .bind("id", d.webhookId())
          .add();
    }
    claim.execute();
  }

  /**
   * Records the outcome of one processing of the delivery and ends its claim: {@code attempts}
   * counts the processings that committed (a deletion has two: to CONFIRMING, then settled). Throws
   * {@link ClaimTakenOver} when {@code claimant} no longer holds the claim (it ran out and another
   * instance claimed the delivery, or processed it already): the caller's transaction must roll
   * back, so that each processing of a delivery commits once.
   */
  public void finish(
      Handle h, Delivery d, String claimant, DeliveryStatus status, String error, Instant now) {
    int updated =
        h.createUpdate(
                "UPDATE webhook_deliveries SET status = :status, attempts = attempts + 1, "
                    + "processed_at = :now, error = :error, claimed_by = NULL, "
                    + "claimed_until = NULL WHERE shop = :shop AND webhook_id = :id "
                    + "AND claimed_by = :claimant AND status = :claimedStatus")
            .bind("status", status)
            .bind("now", now)
            .bindByType("error", Database.fitMessage(error), String.class)
            .bind("shop", d.shop())
            .bind("id", d.webhookId())
            .bind("claimant", claimant)
            .bind("claimedStatus", d.status())
            .execute();
    if (updated == 0) {
      throw new ClaimTakenOver();
    }
  }

  /** A claimed delivery was claimed by another instance, its claim having run out. */
  public static final class ClaimTakenOver extends RuntimeException {
    ClaimTakenOver() {
      super("another instance took the delivery over; its claim had run out", null, false, false);
    }
  }

  /** When the shop's last signed delivery arrived, if one ever did. */
  public Optional<Instant> lastReceivedAt(ShopDomain shop) {
    return db.read(
            h ->
                h.createQuery("SELECT last_received_at FROM webhook_counters WHERE shop = :shop")
                    .bind("shop", shop.value())
                    .map((rs, ctx) -> Optional.ofNullable(Times.instant(rs, "last_received_at")))
                    .findFirst())
        .flatMap(o -> o);
  }

  /**
   * Deliveries recorded per shop and hour since {@code since} (duplicates not counted), by the
   * hour's start; hours without any are absent. Every status is named so that the index on (status,
   * received_at) can serve it: an index of its own on (shop, received_at) cost the intake a third
   * of its rate on PostgreSQL (BENCHMARKS.md).
   */
  public Map<String, Map<Instant, Long>> recordedPerHour(Instant since) {
    String hour = "CAST(FLOOR(EXTRACT(EPOCH FROM received_at) / 3600) AS BIGINT)";
    return db.read(
        h ->
            h.createQuery(
                    "SELECT shop, "
                        + hour
                        + " AS hour_no, COUNT(*) AS n FROM webhook_deliveries "
                        + "WHERE status IN (<statuses>) AND received_at >= :since "
                        + "GROUP BY shop, "
                        + hour)
                .bindList(
                    "statuses", Arrays.stream(DeliveryStatus.values()).map(Enum::name).toList())
                .bind("since", since)
                .reduceRows(
                    new HashMap<String, Map<Instant, Long>>(),
                    (m, row) -> {
                      m.computeIfAbsent(row.getColumn("shop", String.class), k -> new TreeMap<>())
                          .put(
                              Instant.ofEpochSecond(row.getColumn("hour_no", Long.class) * 3600),
                              row.getColumn("n", Long.class));
                      return m;
                    }));
  }

  public List<Counters> counters() {
    return db.read(
        h ->
            h.createQuery(
                    "SELECT s.shop, COALESCE(w.received, 0) AS received, "
                        + "COALESCE(w.duplicates, 0) AS duplicates, w.last_received_at, "
                        + "(SELECT COUNT(*) FROM webhook_deliveries d WHERE d.shop = s.shop "
                        + "AND d.status IN ('PENDING', 'CONFIRMING')) AS pending, "
                        + "(SELECT COALESCE(SUM(r.refused), 0) FROM webhook_refusals r "
                        + "WHERE r.shop = s.shop) AS refused, "
                        + "(SELECT MAX(r.last_at) FROM webhook_refusals r WHERE r.shop = s.shop) "
                        + "AS last_refused_at, "
                        + "(SELECT MIN(r.reason) FROM webhook_refusals r WHERE r.shop = s.shop "
                        + "AND r.last_at = (SELECT MAX(q.last_at) FROM webhook_refusals q "
                        + "WHERE q.shop = s.shop)) AS last_refusal "
                        + "FROM (SELECT shop FROM webhook_counters UNION "
                        + "SELECT shop FROM webhook_refusals) s "
                        + "LEFT JOIN webhook_counters w ON w.shop = s.shop ORDER BY s.shop")
                .map(ConstructorMapper.of(Counters.class))
                .list());
  }
}
