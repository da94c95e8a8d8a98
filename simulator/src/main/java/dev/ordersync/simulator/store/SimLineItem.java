package dev.ordersync.simulator.store;

import java.math.BigDecimal;

public record SimLineItem(
    long id,
    String sku,
    String title,
    int quantity,
    int currentQuantity,
    long variantId,
    BigDecimal unitPrice) {

  public SimLineItem withCurrentQuantity(int q) {
    return new SimLineItem(id, sku, title, quantity, q, variantId, unitPrice);
  }
}
