package dev.ordersync.orders;

import dev.ordersync.db.Database;
import dev.ordersync.db.Times;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Reads of the order store: counts and ids for reconciliation, and the export. */
public final class StoredOrders {
  private final Database db;

  public StoredOrders(Database db) {
    this.db = db;
  }

  /** Orders of {@code shop} created in {@code [from, to)} that Shopify has not deleted. */
  public int countCreated(String shop, Instant from, Instant to) {
    return db.read(
        h ->
            h.createQuery(
                    "SELECT COUNT(*) FROM orders WHERE shop = :shop "
                        + "AND created_at >= :from AND created_at < :to AND deleted_at IS NULL")
                .bind("shop", shop)
                .bind("from", from)
                .bind("to", to)
                .mapTo(Integer.class)
                .one());
  }

  public Set<String> idsCreated(String shop, Instant from, Instant to) {
    return db.read(
        h ->
            h.createQuery(
                    "SELECT id FROM orders WHERE shop = :shop "
                        + "AND created_at >= :from AND created_at < :to AND deleted_at IS NULL")
                .bind("shop", shop)
                .bind("from", from)
                .bind("to", to)
                .setFetchSize(5_000)
                .mapTo(String.class)
                .collectIntoSet());
  }

  /** The stored {@code updatedAt} of those of {@code ids} we hold, deleted or not. */
  public Map<String, Instant> versions(String shop, List<String> ids) {
    if (ids.isEmpty()) {
      return Map.of();
    }
    // id alone, as in the store: it leads the primary key (ids are unique across shops)
    return db.read(
        h -> {
          Map<String, Instant> out = new HashMap<>();
          h.createQuery("SELECT shop, id, updated_at FROM orders WHERE id IN (<ids>)")
              .bindList("ids", ids)
              .map(
                  (rs, ctx) ->
                      rs.getString(1).equals(shop)
                          ? Map.entry(rs.getString(2), Times.instant(rs, 3))
                          : null)
              .forEach(
                  e -> {
                    if (e != null) {
                      out.put(e.getKey(), e.getValue());
                    }
                  });
          return out;
        });
  }

  public int countAll(String shop) {
    return db.read(
        h ->
            h.createQuery(
                    "SELECT COUNT(*) FROM orders WHERE shop = :shop " + "AND deleted_at IS NULL")
                .bind("shop", shop)
                .mapTo(Integer.class)
                .one());
  }

  /** Per shop, how many orders each path stored first. */
  public Map<String, Map<String, Long>> countByFirstPath() {
    return db.read(
        h -> {
          Map<String, Map<String, Long>> out = new LinkedHashMap<>();
          h.createQuery("SELECT shop, first_path, COUNT(*) FROM orders GROUP BY shop, first_path")
              .map(
                  (rs, ctx) -> {
                    out.computeIfAbsent(rs.getString(1), k -> new LinkedHashMap<>())
                        .put(rs.getString(2), rs.getLong(3));
                    return 0;
                  })
              .list();
          return out;
        });
  }

  private static String plain(BigDecimal d) {
    return d == null ? null : d.stripTrailingZeros().toPlainString();
  }

  private static String text(Instant t) {
    return t == null ? null : t.toString();
  }
}
