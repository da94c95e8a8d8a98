package dev.ordersync;

import dev.ordersync.db.Database;
import dev.ordersync.orders.ChangeLog;
import dev.ordersync.orders.FailedOrders;
import dev.ordersync.orders.OrderBatches;
import dev.ordersync.orders.OrderDocuments;
import dev.ordersync.orders.OrderStore;
import dev.ordersync.orders.OrderStory;
import dev.ordersync.orders.StoredOrders;
import java.time.Clock;

/**
 * The stored orders: the one way in ({@link #batches()}) and the ways to read them. Every other
 * feature stores orders through it.
 */
public final class OrdersFeature {
  private final StoredOrders stored;
  private final OrderDocuments documents;
  private final FailedOrders failed;
  private final ChangeLog changeLog;
  private final OrderBatches batches;
  private final OrderStory story;

  OrdersFeature(Database db, Clock clock) {
    this.stored = new StoredOrders(db);
    this.documents = new OrderDocuments(db);
    this.failed = new FailedOrders(db);
    this.changeLog = new ChangeLog(db);
    this.batches = new OrderBatches(db, new OrderStore(), failed, changeLog, clock);
    this.story = new OrderStory(db);
  }

  /** Where every path stores orders: one transaction a batch, one bad order set aside. */
  public OrderBatches batches() {
    return batches;
  }

  public StoredOrders stored() {
    return stored;
  }

  public OrderDocuments documents() {
    return documents;
  }

  public FailedOrders failed() {
    return failed;
  }

  public ChangeLog changeLog() {
    return changeLog;
  }

  /** An order's history in order-sync (the {@code orders show} command). */
  public OrderStory story() {
    return story;
  }
}
