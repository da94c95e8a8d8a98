package dev.ordersync.testing;

import dev.ordersync.orders.Order;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Orders built directly, for store tests that need no Shopify. */
public final class TestOrders {
  private TestOrders() {}

  public static Order order(
      String shop, long id, Instant createdAt, Instant updatedAt, int lineItems, String note) {
    List<Order.LineItem> items = new ArrayList<>();
    for (int i = 0; i < lineItems; i++) {
      items.add(
          new Order.LineItem(
              "gid://shopify/LineItem/" + (id * 100 + i),
              "SKU-" + i,
              "Item " + i,
              1 + i,
              1 + i,
              "gid://shopify/ProductVariant/" + i,
              new BigDecimal("12.50"),
              new BigDecimal("12.50").multiply(BigDecimal.valueOf(1 + i))));
    }
    Order.Address address =
        new Order.Address(
            "Ada",
            "Lovelace",
            null,
            "1 Market St",
            null,
            "New York",
            "New York",
            "NY",
            "United States",
            "US",
            "10001",
            null);
    return Order.builder()
        .shop(shop)
        .id("gid://shopify/Order/" + id)
        .legacyId(id)
        .name("#" + id)
        .number((int) id)
        .createdAt(createdAt)
        .updatedAt(updatedAt)
        .processedAt(createdAt)
        .test(false)
        .sourceName("web")
        .email("ada@example.com")
        .financialStatus("PAID")
        .fulfillmentStatus("UNFULFILLED")
        .currency("USD")
        .totalPrice(new BigDecimal("40.00"))
        .subtotalPrice(new BigDecimal("37.50"))
        .totalTax(new BigDecimal("2.50"))
        .totalShipping(BigDecimal.ZERO)
        .totalDiscounts(BigDecimal.ZERO)
        .customer(
            new Order.Customer("gid://shopify/Customer/1", "Ada", "Lovelace", "ada@example.com"))
        .shippingAddress(address)
        .billingAddress(address)
        .shippingLines(List.of(new Order.ShippingLine("Standard", "STD", BigDecimal.ZERO)))
        .tags(List.of("vip"))
        .note(note)
        .lineItems(items)
        .rawFormat(Order.RawFormat.GRAPHQL)
        .rawPayload("{\"id\":\"gid://shopify/Order/" + id + "\",\"note\":\"" + note + "\"}")
        .current(
            new Order.Current(
                new BigDecimal("40.00"),
                new BigDecimal("37.50"),
                new BigDecimal("2.50"),
                BigDecimal.ZERO,
                BigDecimal.ZERO))
        .presentment(new Order.Presentment("EUR", new BigDecimal("36.80"), new BigDecimal("36.80")))
        .discountCodes(List.of("WELCOME10"))
        .build();
  }

  /** Beyond NUMERIC(19,4): a value both databases refuse, though it maps as a decimal. */
  public static final BigDecimal REFUSED_TOTAL = new BigDecimal("9999999999999999999");

  /** The same order with a total the database refuses (an order at fault in a batch). */
  public static Order refusedByTheDatabase(Order o) {
    return o.withTotalPrice(REFUSED_TOTAL);
  }

  /**
   * The same version as a webhook's REST payload carries it: its fulfilment status as REST says it
   * (coarser than GraphQL's: no ON_HOLD).
   */
  public static Order asRest(Order o, String fulfillmentStatus) {
    return inForm(o, fulfillmentStatus, Order.RawFormat.REST);
  }

  /** The same version as Shopify's API (GraphQL) gives it. */
  public static Order asGraphQl(Order o) {
    return inForm(o, o.fulfillmentStatus(), Order.RawFormat.GRAPHQL);
  }

  /** The same version in another form, with another fulfilment status. */
  private static Order inForm(Order o, String fulfillmentStatus, Order.RawFormat format) {
    return o.toBuilder().fulfillmentStatus(fulfillmentStatus).rawFormat(format).build();
  }

  /** The same order with other tags and note. */
  public static Order withTagsAndNote(Order o, List<String> tags, String note) {
    return o.toBuilder().tags(tags).note(note).build();
  }
}
