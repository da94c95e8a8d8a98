package dev.ordersync.reconcile;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ordersync.config.ShopDomain;
import dev.ordersync.db.Database;
import dev.ordersync.db.Times;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.List;

/** The history of reconciliations, one row per shop and window. */
public final class ReconcileRuns {
  private final Database db;
  private final ObjectMapper json = new ObjectMapper();

  public ReconcileRuns(Database db) {
    this.db = db;
  }

  public void record(ReconcileReport r) {
    db.inTransaction(
        h ->
            h.createUpdate(
                    "INSERT INTO reconcile_runs (shop, kind, local_date, "
                        + "from_ts, to_ts, shopify_count, oms_count_before, oms_count_after, missing, "
                        + "imported, still_missing, extra, status, reason, api_cost, duration_ms, started_at)"
                        + " VALUES (:shop, :kind, :localDate, :from, :to, :shopifyCount, :omsCountBefore, "
                        + ":omsCountAfter, :missingJson, :imported, :stillMissing, :extraJson, :status, "
                        + ":reasonFit, :apiCost, :durationMs, :startedAt)")
                .bindMethods(r)
                .bindByType("localDate", r.localDate(), LocalDate.class)
                .bindByType("shopifyCount", r.shopifyCount(), Integer.class)
                .bind("missingJson", toJson(r.missing()))
                .bind("extraJson", toJson(r.extra()))
                .bind("reasonFit", Database.fitMessage(r.reason()))
                .execute());
  }

  /** The newest runs first; {@code shop} null for every shop, {@code kind} null for every kind. */
  public List<ReconcileReport> history(ShopDomain shop, ReconcileReport.Kind kind, int limit) {
    return db.read(
        h -> {
          var q =
              h.createQuery(
                      "SELECT * FROM reconcile_runs WHERE 1 = 1"
                          + (shop == null ? "" : " AND shop = :shop")
                          + (kind == null ? "" : " AND kind = :kind")
                          + " ORDER BY started_at DESC, id DESC LIMIT :limit")
                  .bind("limit", limit);
          if (shop != null) {
            q.bind("shop", shop.value());
          }
          if (kind != null) {
            q.bind("kind", kind);
          }
          return q.map((rs, ctx) -> row(rs)).list();
        });
  }

  /** A shop's runs of shop-local days from {@code since} on, the newest day and run first. */
  public List<ReconcileReport> daysSince(ShopDomain shop, LocalDate since) {
    return db.read(
        h ->
            h.createQuery(
                    "SELECT * FROM reconcile_runs WHERE shop = :shop AND local_date >= :since"
                        + " ORDER BY local_date DESC, started_at DESC, id DESC")
                .bind("shop", shop.value())
                .bind("since", since)
                .map((rs, ctx) -> row(rs))
                .list());
  }

  private ReconcileReport row(ResultSet rs) throws SQLException {
    int shopify = rs.getInt("shopify_count");
    Integer shopifyCount = rs.wasNull() ? null : shopify;
    return new ReconcileReport(
        rs.getString("shop"),
        ReconcileReport.Kind.valueOf(rs.getString("kind")),
        rs.getObject("local_date", LocalDate.class),
        Times.instant(rs, "from_ts"),
        Times.instant(rs, "to_ts"),
        shopifyCount,
        rs.getInt("oms_count_before"),
        rs.getInt("oms_count_after"),
        fromJson(rs.getString("missing")),
        rs.getInt("imported"),
        rs.getInt("still_missing"),
        fromJson(rs.getString("extra")),
        ReconcileReport.Status.valueOf(rs.getString("status")),
        rs.getString("reason"),
        rs.getLong("api_cost"),
        rs.getLong("duration_ms"),
        Times.instant(rs, "started_at"));
  }

  private String toJson(List<String> ids) {
    try {
      return json.writeValueAsString(ids);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private List<String> fromJson(String text) {
    try {
      return json.readValue(text, new TypeReference<List<String>>() {});
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
