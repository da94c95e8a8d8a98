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
    return toBuilder().lineItems(all).build();
  }

  /** What a redacted payload becomes: no personal data is left in it. */
  public static final String REDACTED_PAYLOAD = "{\"redacted\":true}";

  /**
   * The same order without the customer's personal data ({@code customers/redact}): email, phone,
   * names, addresses and note are gone, and so is the raw payload; the customer's id stays, so that
   * later versions are redacted too.
   */
  public Order redacted() {
    return toBuilder()
        .email(null)
        .phone(null)
        .customer(customer == null ? null : new Customer(customer.id(), null, null, null))
        .shippingAddress(null)
        .billingAddress(null)
        .note(null)
        .rawPayload(REDACTED_PAYLOAD)
        .build();
  }

  /** The same order with another original total (benchmarks and tests put one at fault). */
  public Order withTotalPrice(BigDecimal total) {
    return toBuilder().totalPrice(total).build();
  }

  /** An order built field by field; what is not set stays null (lists: empty). */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding this order's fields: change some, build another version. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.shop = shop;
    b.id = id;
    b.legacyId = legacyId;
    b.name = name;
    b.number = number;
    b.createdAt = createdAt;
    b.updatedAt = updatedAt;
    b.processedAt = processedAt;
    b.cancelledAt = cancelledAt;
    b.cancelReason = cancelReason;
    b.closedAt = closedAt;
    b.test = test;
    b.sourceName = sourceName;
    b.email = email;
    b.phone = phone;
    b.financialStatus = financialStatus;
    b.fulfillmentStatus = fulfillmentStatus;
    b.currency = currency;
    b.totalPrice = totalPrice;
    b.subtotalPrice = subtotalPrice;
    b.totalTax = totalTax;
    b.totalShipping = totalShipping;
    b.totalDiscounts = totalDiscounts;
    b.customer = customer;
    b.shippingAddress = shippingAddress;
    b.billingAddress = billingAddress;
    b.shippingLines = shippingLines;
    b.tags = tags;
    b.note = note;
    b.lineItems = lineItems;
    b.rawFormat = rawFormat;
    b.rawPayload = rawPayload;
    b.current = current;
    b.presentment = presentment;
    b.discountCodes = discountCodes;
    return b;
  }

  /**
   * Builds an {@link Order} by field name, so that a new field touches only the code that sets it.
   */
  public static final class Builder {
    private String shop;
    private String id;
    private long legacyId;
    private String name;
    private Integer number;
    private Instant createdAt;
    private Instant updatedAt;
    private Instant processedAt;
    private Instant cancelledAt;
    private String cancelReason;
    private Instant closedAt;
    private boolean test;
    private String sourceName;
    private String email;
    private String phone;
    private String financialStatus;
    private String fulfillmentStatus;
    private String currency;
    private BigDecimal totalPrice;
    private BigDecimal subtotalPrice;
    private BigDecimal totalTax;
    private BigDecimal totalShipping;
    private BigDecimal totalDiscounts;
    private Customer customer;
    private Address shippingAddress;
    private Address billingAddress;
    private List<ShippingLine> shippingLines = List.of();
    private List<String> tags = List.of();
    private String note;
    private List<LineItem> lineItems = List.of();
    private RawFormat rawFormat;
    private String rawPayload;
    private Current current;
    private Presentment presentment;
    private List<String> discountCodes = List.of();

    private Builder() {}

    public Builder shop(String shop) {
      this.shop = shop;
      return this;
    }

    public Builder id(String id) {
      this.id = id;
      return this;
    }

    public Builder legacyId(long legacyId) {
      this.legacyId = legacyId;
      return this;
    }

    public Builder name(String name) {
      this.name = name;
      return this;
    }

    public Builder number(Integer number) {
      this.number = number;
      return this;
    }

    public Builder createdAt(Instant createdAt) {
      this.createdAt = createdAt;
      return this;
    }

    public Builder updatedAt(Instant updatedAt) {
      this.updatedAt = updatedAt;
      return this;
    }

    public Builder processedAt(Instant processedAt) {
      this.processedAt = processedAt;
      return this;
    }

    public Builder cancelledAt(Instant cancelledAt) {
      this.cancelledAt = cancelledAt;
      return this;
    }

    public Builder cancelReason(String cancelReason) {
      this.cancelReason = cancelReason;
      return this;
    }

    public Builder closedAt(Instant closedAt) {
      this.closedAt = closedAt;
      return this;
    }

    public Builder test(boolean test) {
      this.test = test;
      return this;
    }

    public Builder sourceName(String sourceName) {
      this.sourceName = sourceName;
      return this;
    }

    public Builder email(String email) {
      this.email = email;
      return this;
    }

    public Builder phone(String phone) {
      this.phone = phone;
      return this;
    }

    public Builder financialStatus(String financialStatus) {
      this.financialStatus = financialStatus;
      return this;
    }

    public Builder fulfillmentStatus(String fulfillmentStatus) {
      this.fulfillmentStatus = fulfillmentStatus;
      return this;
    }

    public Builder currency(String currency) {
      this.currency = currency;
      return this;
    }

    public Builder totalPrice(BigDecimal totalPrice) {
      this.totalPrice = totalPrice;
      return this;
    }

    public Builder subtotalPrice(BigDecimal subtotalPrice) {
      this.subtotalPrice = subtotalPrice;
      return this;
    }

    public Builder totalTax(BigDecimal totalTax) {
      this.totalTax = totalTax;
      return this;
    }

    public Builder totalShipping(BigDecimal totalShipping) {
      this.totalShipping = totalShipping;
      return this;
    }

    public Builder totalDiscounts(BigDecimal totalDiscounts) {
      this.totalDiscounts = totalDiscounts;
      return this;
    }

    public Builder customer(Customer customer) {
      this.customer = customer;
      return this;
    }

    public Builder shippingAddress(Address shippingAddress) {
      this.shippingAddress = shippingAddress;
      return this;
    }

    public Builder billingAddress(Address billingAddress) {
      this.billingAddress = billingAddress;
      return this;
    }

    public Builder shippingLines(List<ShippingLine> shippingLines) {
      this.shippingLines = shippingLines;
      return this;
    }

    public Builder tags(List<String> tags) {
      this.tags = tags;
      return this;
    }

    public Builder note(String note) {
      this.note = note;
      return this;
    }

    public Builder lineItems(List<LineItem> lineItems) {
      this.lineItems = lineItems;
      return this;
    }

    public Builder rawFormat(RawFormat rawFormat) {
      this.rawFormat = rawFormat;
      return this;
    }

    public Builder rawPayload(String rawPayload) {
      this.rawPayload = rawPayload;
      return this;
    }

    public Builder current(Current current) {
      this.current = current;
      return this;
    }

    public Builder presentment(Presentment presentment) {
      this.presentment = presentment;
      return this;
    }

    public Builder discountCodes(List<String> discountCodes) {
      this.discountCodes = discountCodes;
      return this;
    }

    public Order build() {
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
          lineItems,
          rawFormat,
          rawPayload,
          current,
          presentment,
          discountCodes);
    }
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
