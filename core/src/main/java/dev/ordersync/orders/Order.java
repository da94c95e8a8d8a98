package dev.ordersync.orders;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/**
 * One version of a Shopify order, as the OMS needs it to fulfil it. The same whether it came by
 * the GraphQL API or by a webhook; {@code rawPayload} keeps what Shopify actually sent.
 */
public record Order(
    String shop,
    String id,
    long legacyId,
    String name,
    Integer number,
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
    BigDecimal totalPrice,
    BigDecimal subtotalPrice,
    BigDecimal totalTax,
    BigDecimal totalShipping,
    BigDecimal totalDiscounts,
    Customer customer,
    Address shippingAddress,
    Address billingAddress,
    List<ShippingLine> shippingLines,
    List<String> tags,
    String note,
    List<LineItem> lineItems,
    RawFormat rawFormat,
    String rawPayload) {

  public Order {
    shippingLines = List.copyOf(shippingLines);
    tags = List.copyOf(tags);
    lineItems = List.copyOf(lineItems);
  }

  public Order withLineItems(List<LineItem> all) {
    return new Order(shop, id, legacyId, name, number, createdAt, updatedAt, processedAt,
        cancelledAt, cancelReason, closedAt, test, sourceName, email, phone, financialStatus,
        fulfillmentStatus, currency, totalPrice, subtotalPrice, totalTax, totalShipping,
        totalDiscounts, customer, shippingAddress, billingAddress, shippingLines, tags, note, all,
        rawFormat, rawPayload);
  }

  public enum RawFormat { GRAPHQL, REST }

  public record LineItem(String id, String sku, String title, int quantity, int currentQuantity,
      String variantId, BigDecimal unitPrice) {}

  public record Customer(String id, String firstName, String lastName, String email) {}

  public record ShippingLine(String title, String code, BigDecimal price) {
    public ShippingLine {
      // one canonical form, whichever API spelled the amount ("10.0" or "10.00")
      price = price == null ? null : price.stripTrailingZeros();
    }
  }

  public record Address(String firstName, String lastName, String company, String address1,
      String address2, String city, String province, String provinceCode, String country,
      String countryCode, String zip, String phone) {}
}
