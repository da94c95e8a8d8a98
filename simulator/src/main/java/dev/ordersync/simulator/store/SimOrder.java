package dev.ordersync.simulator.store;

import java.math.BigDecimal;
import java.math.RoundingMode;
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

  /** What the items still on the order come to (after cancellations and removals). */
  public BigDecimal currentSubtotal() {
    return lineItems.stream()
        .map(li -> li.unitPrice().multiply(BigDecimal.valueOf(li.currentQuantity())))
        .reduce(BigDecimal.ZERO, BigDecimal::add);
  }

  /** The share of the original subtotal still on the order, applied to a total. */
  private BigDecimal current(BigDecimal original) {
    BigDecimal subtotal = subtotal();
    if (subtotal.signum() == 0) {
      return original;
    }
    return original.multiply(currentSubtotal()).divide(subtotal, 2, RoundingMode.HALF_UP);
  }

  public BigDecimal currentTotal() {
    return current(total());
  }

  public BigDecimal currentTax() {
    return current(totalTax);
  }

  public BigDecimal currentDiscounts() {
    return current(totalDiscounts);
  }

  /** Paid back: all of it once refunded, the difference once partially refunded. */
  public BigDecimal totalRefunded() {
    return switch (financialStatus) {
      case "REFUNDED" -> total();
      case "PARTIALLY_REFUNDED" -> total().subtract(currentTotal());
      default -> BigDecimal.ZERO;
    };
  }

  /** A code for an order with a discount: the discount as the code's amount. */
  public List<String> discountCodes() {
    return totalDiscounts.signum() > 0
        ? List.of("SAVE" + totalDiscounts.setScale(0, RoundingMode.DOWN))
        : List.of();
  }

  /** A line's total less the discount allocated to it: the order's discount on its first. */
  public BigDecimal discountedTotal(SimLineItem li) {
    BigDecimal total = li.unitPrice().multiply(BigDecimal.valueOf(li.quantity()));
    return !lineItems.isEmpty() && lineItems.get(0).id() == li.id()
        ? total.subtract(totalDiscounts)
        : total;
  }

  public boolean closed() {
    return closedAt != null;
  }

  public SimOrder withUpdate(
      Instant at, String financial, String fulfillment, String newNote, List<String> newTags) {
    return new SimOrder(
        id,
        number,
        createdAt,
        at,
        processedAt,
        cancelledAt,
        cancelReason,
        closedAt,
        test,
        sourceName,
        email,
        phone,
        financial,
        fulfillment,
        currency,
        totalShipping,
        totalTax,
        totalDiscounts,
        shippingAddress,
        billingAddress,
        customer,
        newTags,
        newNote,
        lineItems,
        shippingTitle);
  }

  public SimOrder cancelled(Instant at, String reason) {
    List<SimLineItem> zeroed = lineItems.stream().map(li -> li.withCurrentQuantity(0)).toList();
    return new SimOrder(
        id,
        number,
        createdAt,
        at,
        processedAt,
        at,
        reason,
        at,
        test,
        sourceName,
        email,
        phone,
        "VOIDED",
        fulfillmentStatus,
        currency,
        totalShipping,
        totalTax,
        totalDiscounts,
        shippingAddress,
        billingAddress,
        customer,
        tags,
        note,
        zeroed,
        shippingTitle);
  }
}
