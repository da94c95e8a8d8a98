package dev.ordersync.webhook;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ordersync.db.Database;
import dev.ordersync.orders.FailedOrders;
import dev.ordersync.orders.Order;
import dev.ordersync.orders.OrderMappingException;
import dev.ordersync.orders.OrderStore;
import dev.ordersync.orders.RestOrderMapper;
import dev.ordersync.orders.StorePath;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns recorded deliveries into stored orders, from the durable record: a crash after the
 * acknowledgement leaves the delivery PENDING and the next run processes it. Each batch, its
 * orders and the deliveries' new status commit together. Stale and reordered deliveries are
 * harmless: the store keeps the newest version.
 */
public final class WebhookProcessor {
  public static final Set<String> ORDER_TOPICS = Set.of("orders/create", "orders/updated",
      "orders/cancelled", "orders/edited", "orders/paid", "orders/fulfilled",
      "orders/partially_fulfilled");
  public static final String DELETE_TOPIC = "orders/delete";

  private final Database db;
  private final WebhookInbox inbox;
  private final OrderStore store;
  private final FailedOrders failed;
  private final Clock clock;
  private final ObjectMapper json = new ObjectMapper();

  public WebhookProcessor(Database db, WebhookInbox inbox, OrderStore store, FailedOrders failed,
      Clock clock) {
    this.db = db;
    this.inbox = inbox;
    this.store = store;
    this.failed = failed;
    this.clock = clock;
  }

  /** Processes pending deliveries until none is left; returns how many it processed. */
  public int processPending() {
    int total = 0;
    while (true) {
      int n = db.inTransaction(this::processBatch);
      total += n;
      if (n == 0) {
        return total;
      }
    }
  }

  private int processBatch(Connection c) throws SQLException {
    List<WebhookInbox.Delivery> batch = inbox.pending(c, 200);
    Instant now = clock.instant();
    Map<String, List<Order>> ordersByShop = new LinkedHashMap<>();
    for (WebhookInbox.Delivery d : batch) {
      try {
        JsonNode body = json.readTree(d.body());
        if (d.topic().equals(DELETE_TOPIC)) {
          long id = body.path("id").asLong(0);
          if (id <= 0) {
            throw new OrderMappingException("orders/delete without an id");
          }
          storeAll(c, ordersByShop, now); // the order's own deliveries before its deletion
          store.markDeleted(c, d.shop(), "gid://shopify/Order/" + id, now);
        } else {
          ordersByShop.computeIfAbsent(d.shop(), k -> new ArrayList<>())
              .add(RestOrderMapper.map(d.shop(), body));
        }
        inbox.finish(c, d, "PROCESSED", null, now);
      } catch (OrderMappingException | JsonProcessingException e) {
        failed.record(c, d.shop(), orderId(d.body()), StorePath.WEBHOOK, d.body(),
            e.getMessage(), now);
        inbox.finish(c, d, "FAILED", e.getMessage(), now);
      }
    }
    storeAll(c, ordersByShop, now);
    return batch.size();
  }

  /** One store call per shop: the store keeps the newest of several versions of an order. */
  private void storeAll(Connection c, Map<String, List<Order>> ordersByShop, Instant now)
      throws SQLException {
    for (Map.Entry<String, List<Order>> e : ordersByShop.entrySet()) {
      store.store(c, e.getValue(), StorePath.WEBHOOK, now);
      failed.resolve(c, e.getKey(), e.getValue().stream().map(Order::id).distinct().toList(),
          now);
    }
    ordersByShop.clear();
  }

  private String orderId(String body) {
    try {
      JsonNode n = json.readTree(body);
      return n.hasNonNull("admin_graphql_api_id") ? n.get("admin_graphql_api_id").asText() : null;
    } catch (JsonProcessingException e) {
      return null;
    }
  }
}
