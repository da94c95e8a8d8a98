package dev.ordersync.simulator.store;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/** An order before Shopify gives it an id and a number. */
public record OrderDraft(
    boolean test,
    String sourceName,
    String email,
    String phone,
    String currency,
    BigDecimal shipping,
    BigDecimal tax,
    BigDecimal discounts,
    SimAddress shippingAddress,
    SimAddress billingAddress,
    SimCustomer customer,
    List<String> tags,
    String note,
    List<SimLineItem> lineItems,
    String shippingTitle) {

  SimOrder toOrder(long id, int number, Instant createdAt, Instant now) {
    return new SimOrder(
        id,
        number,
        createdAt,
        now,
        createdAt,
        null,
        null,
        null,
        test,
        sourceName,
        email,
        phone,
        "PAID",
        "UNFULFILLED",
        currency,
        shipping,
        tax,
        discounts,
        shippingAddress,
        billingAddress,
        customer,
        tags,
        note,
        lineItems,
        shippingTitle);
  }
}
