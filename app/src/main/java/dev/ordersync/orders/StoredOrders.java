package dev.ordersync.orders;

import static dev.ordersync.orders.OrderStore.instant;
import static dev.ordersync.orders.OrderStore.odt;

import dev.ordersync.db.Database;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/** Reads of the order store: counts and ids for reconciliation, and the export. */
public final class StoredOrders {
  private final Database db;

  public StoredOrders(Database db) {
    this.db = db;
  }

  /** Orders of {@code shop} created in {@code [from, to)} that Shopify has not deleted. */
  public int countCreated(String shop, Instant from, Instant to) {
    return db.read(c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM orders WHERE shop = ?"
          + " AND created_at >= ? AND created_at < ? AND deleted_at IS NULL")) {
        ps.setString(1, shop);
        ps.setObject(2, odt(from));
        ps.setObject(3, odt(to));
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          return rs.getInt(1);
        }
      }
    });
  }

  public Set<String> idsCreated(String shop, Instant from, Instant to) {
    return db.read(c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT id FROM orders WHERE shop = ?"
          + " AND created_at >= ? AND created_at < ? AND deleted_at IS NULL")) {
        ps.setString(1, shop);
        ps.setObject(2, odt(from));
        ps.setObject(3, odt(to));
        ps.setFetchSize(5_000);
        Set<String> ids = new HashSet<>();
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            ids.add(rs.getString(1));
          }
        }
        return ids;
      }
    });
  }

  /** The stored {@code updatedAt} of those of {@code ids} we hold, deleted or not. */
  public Map<String, Instant> versions(String shop, List<String> ids) {
    if (ids.isEmpty()) {
      return Map.of();
    }
    return db.read(c -> {
      // id alone, as in the store: it leads the primary key (ids are unique across shops)
      try (PreparedStatement ps = c.prepareStatement("SELECT shop, id, updated_at FROM orders "
          + "WHERE id IN (" + "?, ".repeat(ids.size() - 1) + "?)")) {
        int i = 1;
        for (String id : ids) {
          ps.setString(i++, id);
        }
        Map<String, Instant> out = new HashMap<>();
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            if (rs.getString(1).equals(shop)) {
              out.put(rs.getString(2), instant(rs, "updated_at"));
            }
          }
        }
        return out;
      }
    });
  }

  public int countAll(String shop) {
    return db.read(c -> {
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT COUNT(*) FROM orders WHERE shop = ? AND deleted_at IS NULL")) {
        ps.setString(1, shop);
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          return rs.getInt(1);
        }
      }
    });
  }

  /** Every stored order, oldest first, one map of export fields each. */
  public void export(Consumer<Map<String, Object>> out) {
    db.read(c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT shop, id, legacy_id, name, "
          + "created_at, updated_at, cancelled_at, deleted_at, test, financial_status, "
          + "fulfillment_status, currency, total_price, first_path, first_stored_at, last_path, "
          + "last_stored_at, versions_stored, (SELECT COUNT(*) FROM order_line_items li "
          + "WHERE li.shop = o.shop AND li.order_id = o.id) AS line_items FROM orders o "
          + "ORDER BY shop, created_at, id")) {
        ps.setFetchSize(1_000);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("shop", rs.getString("shop"));
            m.put("id", rs.getString("id"));
            m.put("legacyId", rs.getLong("legacy_id"));
            m.put("name", rs.getString("name"));
            m.put("createdAt", str(instant(rs, "created_at")));
            m.put("updatedAt", str(instant(rs, "updated_at")));
            m.put("cancelledAt", str(instant(rs, "cancelled_at")));
            m.put("deletedAt", str(instant(rs, "deleted_at")));
            m.put("test", rs.getBoolean("test"));
            m.put("financialStatus", rs.getString("financial_status"));
            m.put("fulfillmentStatus", rs.getString("fulfillment_status"));
            m.put("currency", rs.getString("currency"));
            m.put("totalPrice", rs.getBigDecimal("total_price").stripTrailingZeros()
                .toPlainString());
            m.put("lineItems", rs.getInt("line_items"));
            m.put("firstPath", rs.getString("first_path"));
            m.put("firstStoredAt", str(instant(rs, "first_stored_at")));
            m.put("lastPath", rs.getString("last_path"));
            m.put("lastStoredAt", str(instant(rs, "last_stored_at")));
            m.put("versionsStored", rs.getInt("versions_stored"));
            out.accept(m);
          }
        }
      }
      return null;
    });
  }

  private static String str(Instant t) {
    return t == null ? null : t.toString();
  }
}
