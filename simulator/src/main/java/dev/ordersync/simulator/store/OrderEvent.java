package dev.ordersync.simulator.store;

import java.time.Instant;

/** Something that happened to an order in the shop; what webhooks are made from. */
public record OrderEvent(Topic topic, SimOrder order, Instant at) {
  public enum Topic {
    ORDERS_CREATE("orders/create"),
    ORDERS_UPDATED("orders/updated"),
    ORDERS_CANCELLED("orders/cancelled"),
    ORDERS_DELETE("orders/delete");

    private final String header;

    Topic(String header) {
      this.header = header;
    }

    /** The topic as the {@code X-Shopify-Topic} header spells it. */
    public String header() {
      return header;
    }
  }
}
