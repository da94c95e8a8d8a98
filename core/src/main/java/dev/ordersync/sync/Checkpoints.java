package dev.ordersync.sync;

import dev.ordersync.config.ShopDomain;
import dev.ordersync.db.Database;
import java.time.Instant;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.reflect.ConstructorMapper;

/** Per shop and stream: the watermark, and how the last passes went. */
public final class Checkpoints {
  public static final String ORDERS = "orders";

  /** How far the sweep's re-read of updates has read (its watermark): each instant is read once. */
  public static final String REREAD = "reread";

  /** Never backwards: a pass that read less than an earlier one leaves the watermark alone. */
  private static final String ADVANCE =
      """
      MERGE INTO sync_checkpoints t
      USING (VALUES (CAST(:shop AS VARCHAR), CAST(:stream AS VARCHAR))) AS v(shop, stream)
      ON t.shop = v.shop AND t.stream = v.stream
      WHEN MATCHED THEN UPDATE SET
        watermark = CASE WHEN t.watermark < CAST(:watermark AS TIMESTAMP WITH TIME ZONE)
          THEN CAST(:watermark AS TIMESTAMP WITH TIME ZONE) ELSE t.watermark END,
        last_success_at = CAST(:now AS TIMESTAMP WITH TIME ZONE), consecutive_failures = 0,
        last_error = NULL
      WHEN NOT MATCHED THEN INSERT (shop, stream, watermark, last_success_at,
        consecutive_failures)
        VALUES (v.shop, v.stream, CAST(:watermark AS TIMESTAMP WITH TIME ZONE),
          CAST(:now AS TIMESTAMP WITH TIME ZONE), 0)
      """;

  private static final String FAILED =
      """
      MERGE INTO sync_checkpoints t
      USING (VALUES (CAST(:shop AS VARCHAR), CAST(:stream AS VARCHAR))) AS v(shop, stream)
      ON t.shop = v.shop AND t.stream = v.stream
      WHEN MATCHED THEN UPDATE SET consecutive_failures = t.consecutive_failures + 1,
        last_failure_at = CAST(:now AS TIMESTAMP WITH TIME ZONE),
        last_error = CAST(:error AS VARCHAR)
      WHEN NOT MATCHED THEN INSERT (shop, stream, watermark, last_failure_at,
        consecutive_failures, last_error)
        VALUES (v.shop, v.stream, CAST(:watermark AS TIMESTAMP WITH TIME ZONE),
          CAST(:now AS TIMESTAMP WITH TIME ZONE), 1, CAST(:error AS VARCHAR))
      """;

  private final Database db;

  public Checkpoints(Database db) {
    this.db = db;
  }

  public record Checkpoint(
      String shop,
      String stream,
      Instant watermark,
      Instant lastSuccessAt,
      Instant lastFailureAt,
      int consecutiveFailures,
      String lastError) {}

  public Optional<Checkpoint> get(ShopDomain shop, String stream) {
    return db.read(
        h ->
            h.createQuery(
                    "SELECT * FROM sync_checkpoints WHERE shop = :shop " + "AND stream = :stream")
                .bind("shop", shop.value())
                .bind("stream", stream)
                .map(ConstructorMapper.of(Checkpoint.class))
                .findOne());
  }

  /**
   * Moves the watermark to {@code watermark} in the caller's transaction, never backwards, and
   * marks the pass a success.
   */
  public void advance(Handle h, ShopDomain shop, String stream, Instant watermark, Instant now) {
    h.createUpdate(ADVANCE)
        .bind("shop", shop.value())
        .bind("stream", stream)
        .bind("watermark", watermark)
        .bind("now", now)
        .execute();
  }

  /** Moves the watermark in a transaction of its own. */
  public void advance(ShopDomain shop, String stream, Instant watermark, Instant now) {
    db.inTransaction(
        h -> {
          advance(h, shop, stream, watermark, now);
          return null;
        });
  }

  /** Records a failed pass; the watermark stays where it is. */
  public void recordFailure(
      ShopDomain shop, String stream, Instant initialWatermark, String error, Instant now) {
    db.inTransaction(
        h ->
            h.createUpdate(FAILED)
                .bind("shop", shop.value())
                .bind("stream", stream)
                .bind("watermark", initialWatermark)
                .bind("now", now)
                .bind("error", Database.fitMessage(error))
                .execute());
  }
}
