package dev.ordersync.reconcile;

import static dev.ordersync.orders.OrderStore.instant;
import static dev.ordersync.orders.OrderStore.odt;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ordersync.db.Database;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;

/** The history of reconciliations, one row per shop and window. */
public final class ReconcileRuns {
  private final Database db;
  private final ObjectMapper json = new ObjectMapper();

  public ReconcileRuns(Database db) {
    this.db = db;
  }

  public void record(ReconcileReport r) {
    db.inTransaction(c -> {
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO reconcile_runs (shop, kind, "
          + "local_date, from_ts, to_ts, shopify_count, oms_count_before, oms_count_after, "
          + "missing, imported, still_missing, extra, status, reason, api_cost, duration_ms, "
          + "started_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
        ps.setString(1, r.shop());
        ps.setString(2, r.kind().name());
        if (r.localDate() == null) {
          ps.setNull(3, Types.DATE);
        } else {
          ps.setDate(3, Date.valueOf(r.localDate()));
        }
        ps.setObject(4, odt(r.from()));
        ps.setObject(5, odt(r.to()));
        if (r.shopifyCount() == null) {
          ps.setNull(6, Types.INTEGER);
        } else {
          ps.setInt(6, r.shopifyCount());
        }
        ps.setInt(7, r.omsCountBefore());
        ps.setInt(8, r.omsCountAfter());
        ps.setString(9, toJson(r.missing()));
        ps.setInt(10, r.imported());
        ps.setInt(11, r.stillMissing());
        ps.setString(12, toJson(r.extra()));
        ps.setString(13, r.status().name());
        ps.setString(14, Database.fitMessage(r.reason()));
        ps.setLong(15, r.apiCost());
        ps.setLong(16, r.durationMs());
        ps.setObject(17, odt(r.startedAt()));
        ps.executeUpdate();
      }
      return null;
    });
  }

  /** The newest runs first; {@code shop} null for every shop, {@code kind} null for every kind. */
  public List<ReconcileReport> history(String shop, ReconcileReport.Kind kind, int limit) {
    return db.read(c -> {
      StringBuilder sql = new StringBuilder("SELECT * FROM reconcile_runs WHERE 1 = 1");
      if (shop != null) {
        sql.append(" AND shop = ?");
      }
      if (kind != null) {
        sql.append(" AND kind = ?");
      }
      sql.append(" ORDER BY started_at DESC, id DESC LIMIT ").append(limit);
      try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
        int i = 1;
        if (shop != null) {
          ps.setString(i++, shop);
        }
        if (kind != null) {
          ps.setString(i, kind.name());
        }
        List<ReconcileReport> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            out.add(row(rs));
          }
        }
        return out;
      }
    });
  }

  private ReconcileReport row(ResultSet rs) throws SQLException {
    Date d = rs.getDate("local_date");
    int shopify = rs.getInt("shopify_count");
    Integer shopifyCount = rs.wasNull() ? null : shopify;
    return new ReconcileReport(rs.getString("shop"),
        ReconcileReport.Kind.valueOf(rs.getString("kind")), d == null ? null : d.toLocalDate(),
        instant(rs, "from_ts"), instant(rs, "to_ts"), shopifyCount,
        rs.getInt("oms_count_before"), rs.getInt("oms_count_after"),
        fromJson(rs.getString("missing")), rs.getInt("imported"), rs.getInt("still_missing"),
        fromJson(rs.getString("extra")), ReconcileReport.Status.valueOf(rs.getString("status")),
        rs.getString("reason"), rs.getLong("api_cost"), rs.getLong("duration_ms"),
        instant(rs, "started_at"));
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
      return json.readValue(text, new TypeReference<List<String>>() { });
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
