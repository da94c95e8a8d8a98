package dev.ordersync.simulator.traffic;

import dev.ordersync.simulator.store.OrderDraft;
import java.time.Instant;

/**
 * One thing a shop's customers or staff do at a given time. Orders are named by their index in the
 * plan, since Shopify gives ids only when they are created.
 */
public record TrafficEvent(
    Instant at, Kind kind, int orderIndex, OrderDraft draft, Instant createdAt) {
  public enum Kind {
    CREATE,
    UPDATE,
    CANCEL
  }
}
