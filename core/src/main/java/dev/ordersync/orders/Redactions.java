package dev.ordersync.orders;

import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jdbi.v3.core.Handle;

/**
 * Shopify's compliance requests, where the orders are: a customer's personal data erased from
 * everything stored ({@code customers/redact}), for good; a shop's every row deleted ({@code
 * shop/redact}). Both serialise with every store on the feed head's lock, like deletions: a version
 * stored at the same moment is either seen here and erased, or erased by its own transaction
 * ({@link #keepRedacted}), which looks after this one commits.
 */
public final class Redactions {
  /** The personal data of an order's row: what a redaction sets to nothing. */
  private static final String ERASE =
      "email = NULL, phone = NULL, customer_first_name = NULL, customer_last_name = NULL, "
          + "customer_email = NULL, shipping_address = NULL, billing_address = NULL, note = NULL, "
          + "raw_payload = '"
          + Order.REDACTED_PAYLOAD
          + "'";

  /** Every table that holds rows of a shop, by its shop column. */
  private static final Map<String, String> SHOP_TABLES =
      Map.ofEntries(
          Map.entry("order_line_items", "shop"),
          Map.entry("orders", "shop"),
          Map.entry("failed_orders", "shop"),
          Map.entry("webhook_deliveries", "shop"),
          Map.entry("webhook_counters", "shop"),
          Map.entry("sync_checkpoints", "shop"),
          Map.entry("sync_passes", "shop"),
          Map.entry("reconcile_runs", "shop"),
          Map.entry("order_tombstones", "shop"),
          Map.entry("bulk_imports", "shop"),
          Map.entry("shop_tokens", "shop"),
          Map.entry("redacted_customers", "shop"),
          Map.entry("redacted_orders", "shop"),
          Map.entry("data_requests", "shop"),
          Map.entry("install_states", "shop"),
          Map.entry("webhook_refusals", "shop"),
          Map.entry("shops", "domain"));

  private final ChangeLog changeLog;

  public Redactions(ChangeLog changeLog) {
    this.changeLog = changeLog;
  }

  /** Who {@code customers/redact} names: the customer and the orders Shopify lists. */
  public record Customer(
      String shop, String customerGid, String email, String phone, List<String> orderGids) {}

  /**
   * Erases the customer's personal data, in the caller's transaction: from the orders Shopify
   * listed and every other stored order of that customer (by id or email), their raw payloads, the
   * failed orders and the recorded webhook bodies that hold it; each changed order gets a feed
   * change {@code redacted}, and the customer and those orders stay redacted. How many stored
   * orders changed.
   */
  public int redactCustomer(Handle h, Customer c, Instant now) throws SQLException {
    changeLog.lockHead(h);
    List<String> named = new ArrayList<>(c.orderGids());
    named.add(""); // an IN list is never empty
    List<Map<String, Object>> found =
        h.createQuery(
                "SELECT id, updated_at FROM orders WHERE shop = :shop AND (id IN (<ids>) "
                    + "OR customer_id = :customer OR email = :email OR customer_email = :email)")
            .bind("shop", c.shop())
            .bindList("ids", named)
            .bind("customer", c.customerGid() == null ? "" : c.customerGid())
            .bind("email", c.email() == null ? "" : c.email())
            .mapToMap()
            .list();
    Set<String> orders = new LinkedHashSet<>(c.orderGids());
    found.forEach(r -> orders.add((String) r.get("id")));
    if (c.customerGid() != null) {
      h.createUpdate(
              "INSERT INTO redacted_customers (shop, customer_id, redacted_at) "
                  + "SELECT :shop, :customer, :now WHERE NOT EXISTS (SELECT 1 FROM "
                  + "redacted_customers WHERE shop = :shop AND customer_id = :customer)")
          .bind("shop", c.shop())
          .bind("customer", c.customerGid())
          .bind("now", now)
          .execute();
    }
    for (String order : orders) {
      h.createUpdate(
              "INSERT INTO redacted_orders (shop, order_id, redacted_at) SELECT :shop, :order, "
                  + ":now WHERE NOT EXISTS (SELECT 1 FROM redacted_orders WHERE shop = :shop "
                  + "AND order_id = :order)")
          .bind("shop", c.shop())
          .bind("order", order)
          .bind("now", now)
          .execute();
    }
    OrderChanges changes = new OrderChanges();
    if (!found.isEmpty()) {
      h.createUpdate("UPDATE orders SET " + ERASE + " WHERE shop = :shop AND id IN (<ids>)")
          .bind("shop", c.shop())
          .bindList("ids", found.stream().map(r -> (String) r.get("id")).toList())
          .execute();
      for (Map<String, Object> r : found) {
        changes.redacted(c.shop(), (String) r.get("id"), instant(r.get("updated_at")), now);
      }
    }
    List<String> traces = traces(c, orders);
    for (String like : traces) {
      h.createUpdate(
              "UPDATE failed_orders SET raw_payload = :redacted WHERE shop = :shop "
                  + "AND raw_payload LIKE :like")
          .bind("redacted", Order.REDACTED_PAYLOAD)
          .bind("shop", c.shop())
          .bind("like", like)
          .execute();
      // a delivery not processed yet is left to the poll: its body is gone
      h.createUpdate(
              "UPDATE webhook_deliveries SET body = :redacted, status = CASE WHEN status = "
                  + "'PENDING' THEN 'IGNORED' ELSE status END WHERE shop = :shop AND body LIKE :like")
          .bind("redacted", Order.REDACTED_PAYLOAD)
          .bind("shop", c.shop())
          .bind("like", like)
          .execute();
    }
    if (!orders.isEmpty()) {
      h.createUpdate(
              "UPDATE failed_orders SET raw_payload = :redacted WHERE shop = :shop "
                  + "AND order_key IN (<ids>)")
          .bind("redacted", Order.REDACTED_PAYLOAD)
          .bind("shop", c.shop())
          .bindList("ids", List.copyOf(orders))
          .execute();
    }
    changeLog.append(h, changes);
    return found.size();
  }

  /** What a stored text holding this customer's data contains: their ids and their email. */
  private static List<String> traces(Customer c, Set<String> orders) {
    List<String> out = new ArrayList<>();
    for (String gid : orders) {
      String n = gid.substring(gid.lastIndexOf('/') + 1);
      out.add("%\"id\":" + n + ",%");
      out.add("%\"id\":" + n + "}%");
      out.add("%/Order/" + n + "\"%");
    }
    if (c.customerGid() != null) {
      String n = c.customerGid().substring(c.customerGid().lastIndexOf('/') + 1);
      out.add("%/Customer/" + n + "\"%");
      out.add("%\"id\":" + n + ",%");
      out.add("%\"id\":" + n + "}%");
    }
    if (c.email() != null && !c.email().isBlank()) {
      out.add("%\"" + c.email().replace("%", "\\%").replace("_", "\\_") + "\"%");
    }
    if (c.phone() != null && !c.phone().isBlank()) {
      out.add("%\"" + c.phone().replace("%", "\\%").replace("_", "\\_") + "\"%");
    }
    return out;
  }

  /**
   * Erases, in a storing transaction holding the feed head's lock, the personal data of the orders
   * it wrote that belong to a redacted customer or order: a redacted customer stays redacted,
   * whatever path brings a later version.
   */
  void keepRedacted(Handle h, List<OrderChanges.Pending> written) {
    Map<String, List<String>> byShop = new java.util.LinkedHashMap<>();
    for (OrderChanges.Pending p : written) {
      byShop.computeIfAbsent(p.shop(), k -> new ArrayList<>()).add(p.id());
    }
    for (Map.Entry<String, List<String>> e : byShop.entrySet()) {
      h.createUpdate(
              "UPDATE orders SET "
                  + ERASE
                  + " WHERE shop = :shop AND id IN (<ids>) AND (EXISTS (SELECT 1 FROM "
                  + "redacted_orders r WHERE r.order_id = orders.id AND r.shop = orders.shop) OR "
                  + "EXISTS (SELECT 1 FROM redacted_customers c WHERE c.customer_id = "
                  + "orders.customer_id AND c.shop = orders.shop))")
          .bind("shop", e.getKey())
          .bindList("ids", e.getValue())
          .execute();
    }
  }

  /**
   * Deletes every row of the shop ({@code shop/redact}), in the caller's transaction, with one feed
   * change {@code shop-redacted}. The feed's earlier changes of the shop stay: they hold ids and
   * times only, and the feed's numbering must keep no gap.
   */
  public void redactShop(Handle h, String shop, Instant now) {
    changeLog.lockHead(h);
    for (Map.Entry<String, String> t : SHOP_TABLES.entrySet()) {
      h.createUpdate("DELETE FROM " + t.getKey() + " WHERE " + t.getValue() + " = :shop")
          .bind("shop", shop)
          .execute();
    }
    OrderChanges changes = new OrderChanges();
    changes.shopRedacted(shop, now);
    changeLog.append(h, changes);
  }

  private static Instant instant(Object value) {
    if (value instanceof Instant i) {
      return i;
    }
    if (value instanceof java.time.OffsetDateTime o) {
      return o.toInstant();
    }
    if (value instanceof java.sql.Timestamp t) {
      return t.toInstant();
    }
    throw new IllegalStateException("not a time: " + value.getClass());
  }
}
