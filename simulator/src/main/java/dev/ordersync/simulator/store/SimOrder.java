package dev.ordersync.simulator.store;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/** One version of an order as Shopify holds it. Immutable: an update makes a new version. */
public record SimOrder(
    long id,
    int number,
    Instant createdAt,
    Instant updatedAt,
    Instant processedAt,
    Instant cancelledAt,
    String cancelReason,
    Instant closedAt,
    boolean test,
    String sourceName,
    String email,
    String phone,
    String financialStatus,
    String fulfillmentStatus,
    String currency,
    BigDecimal totalShipping,
    BigDecimal totalTax,
    BigDecimal totalDiscounts,
    SimAddress shippingAddress,
    SimAddress billingAddress,
    SimCustomer customer,
    List<String> tags,
    String note,
    List<SimLineItem> lineItems,
    String shippingTitle) {

  public SimOrder {
    tags = List.copyOf(tags);
    lineItems = List.copyOf(lineItems);
  }

  public String gid() {
    return "gid://shopify/Order/" + id;
  }

  public String name() {
    return "#" + number;
  }

  public BigDecimal subtotal() {
    return lineItems.stream()
        .map(li -> li.unitPrice().multiply(BigDecimal.valueOf(li.quantity())))
        .reduce(BigDecimal.ZERO, BigDecimal::add);
  }

  public BigDecimal total() {
    return subtotal().add(totalShipping).add(totalTax).subtract(totalDiscounts);
  }

  public boolean closed() {
    return closedAt != null;
  }

  public SimOrder withUpdate(Instant at, String financial, String fulfillment, String newNote,
      List<String> newTags) {
    return new SimOrder(id, number, createdAt, at, processedAt, cancelledAt, cancelReason, closedAt,
        test, sourceName, email, phone, financial, fulfillment, currency, totalShipping, totalTax,
        totalDiscounts, shippingAddress, billingAddress, customer, newTags, newNote, lineItems,
        shippingTitle);
  }

  public SimOrder cancelled(Instant at, String reason) {
    List<SimLineItem> zeroed = lineItems.stream().map(li -> li.withCurrentQuantity(0)).toList();
    return new SimOrder(id, number, createdAt, at, processedAt, at, reason, at, test, sourceName,
        email, phone, "VOIDED", fulfillmentStatus, currency, totalShipping, totalTax,
        totalDiscounts, shippingAddress, billingAddress, customer, tags, note, zeroed,
        shippingTitle);
  }
}
