package dev.ordersync.webhook;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ordersync.db.Database;
import dev.ordersync.orders.FailedOrders;
import dev.ordersync.orders.FetchedOrder;
import dev.ordersync.orders.OrderBatches;
import dev.ordersync.orders.OrderStore;
import dev.ordersync.orders.RestOrderMapper;
import dev.ordersync.orders.StorePath;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns recorded deliveries into stored orders, from the durable record: a crash after the
 * acknowledgement leaves the delivery PENDING and the next run processes it. Each batch, its
 * orders and the deliveries' new status commit together, through the one batch store, so that one
 * delivery that cannot be stored goes to failed_orders and never holds up the others. Stale and
 * reordered deliveries are harmless: the store keeps the newest version.
 */
public final class WebhookProcessor {
  public static final Set<String> ORDER_TOPICS = Set.of("orders/create", "orders/updated",
      "orders/cancelled", "orders/paid", "orders/fulfilled", "orders/partially_fulfilled");
  public static final String DELETE_TOPIC = "orders/delete";
  /** An edit notification: its body is an {@code order_edit}, not an order. */
  public static final String EDITED_TOPIC = "orders/edited";
  static final int BATCH = 200;

  private final Database db;
  private final WebhookInbox inbox;
  private final OrderBatches batches;
  private final OrderStore store;
  private final ObjectMapper json = new ObjectMapper();

  public WebhookProcessor(Database db, WebhookInbox inbox, OrderBatches batches,
      OrderStore store) {
    this.db = db;
    this.inbox = inbox;
    this.batches = batches;
    this.store = store;
  }

  public static boolean handles(String topic) {
    return ORDER_TOPICS.contains(topic) || DELETE_TOPIC.equals(topic)
        || EDITED_TOPIC.equals(topic);
  }

  /** Processes pending deliveries until none is left; returns how many it processed. */
  public int processPending() {
    int total = 0;
    while (true) {
      List<WebhookInbox.Delivery> batch = db.read(c -> inbox.pending(c, BATCH));
      if (batch.isEmpty()) {
        return total;
      }
      process(batch);
      total += batch.size();
    }
  }

  private void process(List<WebhookInbox.Delivery> batch) {
    List<FetchedOrder> orders = new ArrayList<>();
    Map<WebhookInbox.Delivery, Action> actions = new LinkedHashMap<>();
    for (WebhookInbox.Delivery d : batch) {
      Action a = read(d);
      actions.put(d, a);
      if (a.order() != null) {
        orders.add(a.order());
      }
    }
    batches.store(orders, StorePath.WEBHOOK, (c, stored, now) -> {
      Map<String, String> failed = new LinkedHashMap<>();
      for (FetchedOrder f : stored.failed()) {
        failed.put(f.shop() + "\n" + FailedOrders.keyOf(f), f.error());
      }
      for (Map.Entry<WebhookInbox.Delivery, Action> e : actions.entrySet()) {
        finish(c, e.getKey(), e.getValue(), failed, now);
      }
    });
  }

  private void finish(Connection c, WebhookInbox.Delivery d, Action a,
      Map<String, String> failed, Instant now) throws SQLException {
    if (a.deleteId() != null) {
      store.markDeleted(c, d.shop(), a.deleteId(), now);
      inbox.finish(c, d, "PROCESSED", null, now);
    } else if (a.order() != null) {
      String error = failed.get(d.shop() + "\n" + FailedOrders.keyOf(a.order()));
      inbox.finish(c, d, error == null ? "PROCESSED" : "FAILED", error, now);
    } else {
      inbox.finish(c, d, "PROCESSED", a.note(), now);
    }
  }

  /** What one delivery asks for: an order to store, a deletion, or nothing but a note. */
  private record Action(FetchedOrder order, String deleteId, String note) {}

  private Action read(WebhookInbox.Delivery d) {
    JsonNode body;
    try {
      body = json.readTree(d.body());
    } catch (JsonProcessingException e) {
      body = null;
    }
    if (body == null || !body.isObject()) {
      return new Action(FetchedOrder.unmapped(d.shop(), null, null, d.body(),
          "the body is not a JSON object"), null, null);
    }
    if (d.topic().equals(DELETE_TOPIC)) {
      String gid = RestOrderMapper.orderGid(body);
      return gid == null
          ? new Action(FetchedOrder.unmapped(d.shop(), null, null, d.body(),
              "orders/delete without an id"), null, null)
          : new Action(null, gid, null);
    }
    if (d.topic().equals(EDITED_TOPIC)) {
      // the edit also moves the order's updatedAt: the next pass reads the edited order
      return new Action(null, null, "edit notification; the order is read again by the poll");
    }
    return new Action(RestOrderMapper.fetched(d.shop(), body, d.body()), null, null);
  }
}
