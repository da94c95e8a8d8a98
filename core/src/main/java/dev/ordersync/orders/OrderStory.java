package dev.ordersync.orders;

import dev.ordersync.db.Database;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/**
 * One order's whole story, for {@code orders show}: how it is stored, every version the feed still
 * holds (when, by which path), its failures and retries, the webhook deliveries received for it,
 * and whether it was deleted or redacted. Never its payload or its customer's data.
 */
public final class OrderStory {
  private final Database db;

  public OrderStory(Database db) {
    this.db = db;
  }

  /** The story, or empty when this database has no trace of the order. */
  public Optional<Map<String, Object>> of(String gid) {
    return db.read(h -> Optional.ofNullable(story(h, gid)));
  }

  private static Map<String, Object> story(Handle h, String gid) {
    Map<String, Object> stored =
        first(
            h.createQuery(
                    "SELECT shop, name, created_at, updated_at, deleted_at, first_path, "
                        + "first_stored_at, last_path, last_stored_at, versions_stored, "
                        + "financial_status, fulfillment_status FROM orders WHERE id = :id")
                .bind("id", gid)
                .mapToMap()
                .list());
    List<Map<String, Object>> versions =
        h.createQuery(
                "SELECT seq, kind, updated_at, stored_at, path FROM order_changes "
                    + "WHERE order_id = :id ORDER BY seq")
            .bind("id", gid)
            .mapToMap()
            .list();
    Map<String, Object> failure =
        first(
            h.createQuery(
                    "SELECT shop, path, error, attempts, first_failed_at, last_failed_at, "
                        + "next_retry_at, resolved_at, failed_updated_at FROM failed_orders "
                        + "WHERE order_key = :id")
                .bind("id", gid)
                .mapToMap()
                .list());
    String number = gid.substring(gid.lastIndexOf('/') + 1);
    List<Map<String, Object>> deliveries =
        h.createQuery(
                "SELECT shop, topic, webhook_id, triggered_at, received_at, status, attempts, "
                    + "processed_at, error FROM webhook_deliveries WHERE body LIKE :gid "
                    + "OR body LIKE :id1 OR body LIKE :id2 ORDER BY received_at")
            .bind("gid", "%\"" + gid + "\"%")
            .bind("id1", "%\"id\":" + number + ",%")
            .bind("id2", "%\"id\":" + number + "}%")
            .mapToMap()
            .list();
    Map<String, Object> tombstone =
        first(
            h.createQuery("SELECT shop, deleted_at FROM order_tombstones WHERE id = :id")
                .bind("id", gid)
                .mapToMap()
                .list());
    Map<String, Object> redacted =
        first(
            h.createQuery("SELECT shop, redacted_at FROM redacted_orders WHERE order_id = :id")
                .bind("id", gid)
                .mapToMap()
                .list());
    if (stored == null
        && versions.isEmpty()
        && failure == null
        && deliveries.isEmpty()
        && tombstone == null) {
      return null;
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("id", gid);
    out.put("stored", camel(stored));
    out.put("versions", versions.stream().map(OrderStory::camel).toList());
    out.put("failure", camel(failure));
    out.put("deliveries", deliveries.stream().map(OrderStory::camel).toList());
    out.put("deletedBeforeStored", camel(tombstone));
    out.put("redacted", camel(redacted));
    return out;
  }

  private static Map<String, Object> first(List<Map<String, Object>> rows) {
    return rows.isEmpty() ? null : rows.get(0);
  }

  /** A row's columns as JSON names (updated_at: updatedAt), times as ISO-8601 text. */
  private static Map<String, Object> camel(Map<String, Object> row) {
    if (row == null) {
      return null;
    }
    Map<String, Object> out = new LinkedHashMap<>();
    row.forEach(
        (k, v) -> {
          StringBuilder name = new StringBuilder();
          boolean up = false;
          for (char c : k.toLowerCase(java.util.Locale.ROOT).toCharArray()) {
            if (c == '_') {
              up = true;
            } else {
              name.append(up ? Character.toUpperCase(c) : c);
              up = false;
            }
          }
          out.put(name.toString(), value(v));
        });
    return out;
  }

  private static Object value(Object v) {
    if (v instanceof java.time.OffsetDateTime o) {
      return o.toInstant().toString();
    }
    if (v instanceof java.sql.Timestamp t) {
      return t.toInstant().toString();
    }
    if (v instanceof java.time.Instant i) {
      return i.toString();
    }
    if (v instanceof java.math.BigDecimal || v instanceof Number || v instanceof Boolean) {
      return v;
    }
    return v == null ? null : v.toString();
  }
}
