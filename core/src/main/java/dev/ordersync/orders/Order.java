package dev.ordersync.orders;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/**
 * One version of a Shopify order, as the OMS needs it to fulfil it. The same whether it came by the
 * GraphQL API or by a webhook; {@code rawPayload} keeps what Shopify actually sent.
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
    String rawPayload,
    Current current,
    Presentment presentment,
    List<String> discountCodes) {

  public Order {
    shippingLines = List.copyOf(shippingLines);
    tags = List.copyOf(tags);
    lineItems = List.copyOf(lineItems);
    discountCodes = List.copyOf(discountCodes);
  }

  public Order withLineItems(List<LineItem> all) {
    return new Order(
        shop,
        id,
        legacyId,
        name,
        number,
        createdAt,
        updatedAt,
        processedAt,
        cancelledAt,
        cancelReason,
        closedAt,
        test,
        sourceName,
        email,
        phone,
        financialStatus,
        fulfillmentStatus,
        currency,
        totalPrice,
        subtotalPrice,
        totalTax,
        totalShipping,
        totalDiscounts,
        customer,
        shippingAddress,
        billingAddress,
        shippingLines,
        tags,
        note,
        all,
        rawFormat,
        rawPayload,
        current,
        presentment,
        discountCodes);
  }

  /** What a redacted payload becomes: no personal data is left in it. */
  public static final String REDACTED_PAYLOAD = "{\"redacted\":true}";

  /**
   * The same order without the customer's personal data ({@code customers/redact}): email, phone,
   * names, addresses and note are gone, and so is the raw payload; the customer's id stays, so that
   * later versions are redacted too.
   */
  public Order redacted() {
    return new Order(
        shop,
        id,
        legacyId,
        name,
        number,
        createdAt,
        updatedAt,
        processedAt,
        cancelledAt,
        cancelReason,
        closedAt,
        test,
        sourceName,
        null,
        null,
        financialStatus,
        fulfillmentStatus,
        currency,
        totalPrice,
        subtotalPrice,
        totalTax,
        totalShipping,
        totalDiscounts,
        customer == null ? null : new Customer(customer.id(), null, null, null),
        null,
        null,
        shippingLines,
        tags,
        null,
        lineItems,
        rawFormat,
        REDACTED_PAYLOAD,
        current,
        presentment,
        discountCodes);
  }

  /** The same order with another original total (benchmarks and tests put one at fault). */
  public Order withTotalPrice(BigDecimal total) {
    return new Order(
        shop,
        id,
        legacyId,
        name,
        number,
        createdAt,
        updatedAt,
        processedAt,
        cancelledAt,
        cancelReason,
        closedAt,
        test,
        sourceName,
        email,
        phone,
        financialStatus,
        fulfillmentStatus,
        currency,
        total,
        subtotalPrice,
        totalTax,
        totalShipping,
        totalDiscounts,
        customer,
        shippingAddress,
        billingAddress,
        shippingLines,
        tags,
        note,
        lineItems,
        rawFormat,
        rawPayload,
        current,
        presentment,
        discountCodes);
  }

  /**
   * The money after refunds, returns and edits (the original totals above are "before returns"):
   * what the OMS ships and charges by. In the shop's currency.
   */
  public record Current(
      BigDecimal totalPrice,
      BigDecimal subtotalPrice,
      BigDecimal totalTax,
      BigDecimal totalDiscounts,
      BigDecimal totalRefunded) {}

  /** The currency the customer paid in, and the totals in it. */
  public record Presentment(String currency, BigDecimal totalPrice, BigDecimal currentTotalPrice) {}

  public enum RawFormat {
    GRAPHQL,
    REST
  }

  /**
   * @param discountedTotal the line's total after every discount allocated to it (code-based ones
   *     included), in the shop's currency; null when Shopify did not say
   */
  public record LineItem(
      String id,
      String sku,
      String title,
      int quantity,
      int currentQuantity,
      String variantId,
      BigDecimal unitPrice,
      BigDecimal discountedTotal) {}

  public record Customer(String id, String firstName, String lastName, String email) {}

  public record ShippingLine(String title, String code, BigDecimal price) {
    public ShippingLine {
      // one canonical form, whichever API spelled the amount ("10.0" or "10.00")
      price = price == null ? null : price.stripTrailingZeros();
    }
  }

  public record Address(
      String firstName,
      String lastName,
      String company,
      String address1,
      String address2,
      String city,
      String province,
      String provinceCode,
      String country,
      String countryCode,
      String zip,
      String phone) {}
}
