package dev.ordersync.shopify;

import static dev.ordersync.shopify.JsonFields.required;
import static dev.ordersync.shopify.JsonFields.requiredInt;
import static dev.ordersync.shopify.JsonFields.text;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ordersync.config.ShopDomain;
import dev.ordersync.orders.FetchedOrder;
import dev.ordersync.orders.Order;
import dev.ordersync.orders.OrderMappingException;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Maps the REST-shaped order of a webhook (snake_case, shop-local offsets, numeric ids, money as
 * strings) to the same {@link Order} the GraphQL path makes of the same version.
 */
public final class RestOrderMapper {
  private RestOrderMapper() {}

  private static final String ORDER_GID = "gid://shopify/Order/";

  /** The order of a webhook body, mapped, or kept raw under its GID when it cannot be. */
  public static FetchedOrder fetched(ShopDomain shop, JsonNode n, String raw) {
    try {
      return FetchedOrder.mapped(map(shop, n));
    } catch (OrderMappingException e) {
      JsonNode name = n.path("name");
      return FetchedOrder.unmapped(
          shop.value(), orderGid(n), name.isTextual() ? name.asText() : null, raw, e.getMessage());
    }
  }

  /**
   * The order's GID: {@code admin_graphql_api_id}, else made of the numeric {@code id}; null when
   * the body has neither.
   */
  public static String orderGid(JsonNode n) {
    JsonNode gid = n.path("admin_graphql_api_id");
    if (gid.isTextual()
        && gid.asText().startsWith(ORDER_GID)
        && legacyId(gid.asText().substring(ORDER_GID.length())) > 0) {
      return gid.asText();
    }
    long id = legacyId(n.path("id"));
    return id > 0 ? ORDER_GID + id : null;
  }

  /** A positive 64-bit id, as a JSON integer or a string of digits; 0 when it is neither. */
  static long legacyId(JsonNode v) {
    if (v.isIntegralNumber() && v.canConvertToLong()) {
      return Math.max(0, v.asLong());
    }
    return v.isTextual() ? legacyId(v.asText()) : 0;
  }

  private static long legacyId(String digits) {
    if (digits.isEmpty() || digits.length() > 19 || !digits.chars().allMatch(Character::isDigit)) {
      return 0;
    }
    try {
      return Math.max(0, Long.parseLong(digits));
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  public static Order map(ShopDomain shop, JsonNode n) {
    String id = orderGid(n);
    if (id == null) {
      throw new OrderMappingException("id is missing or not a positive 64-bit integer");
    }
    try {
      List<Order.LineItem> items = new ArrayList<>();
      for (JsonNode li : n.path("line_items")) {
        BigDecimal price = decimal(li, "price", true);
        int quantity = requiredInt(li, "quantity");
        items.add(
            new Order.LineItem(
                "gid://shopify/LineItem/" + required(li, "id"),
                text(li, "sku"),
                required(li, "title"),
                quantity,
                li.path("current_quantity").isInt() ? li.get("current_quantity").asInt() : quantity,
                li.path("variant_id").isNumber()
                    ? "gid://shopify/ProductVariant/" + li.get("variant_id").asText()
                    : null,
                price,
                discountedTotal(li, price, quantity)));
      }
      List<Order.ShippingLine> shipping = new ArrayList<>();
      for (JsonNode sl : n.path("shipping_lines")) {
        shipping.add(
            new Order.ShippingLine(
                required(sl, "title"), text(sl, "code"), decimal(sl, "price", true)));
      }
      JsonNode c = n.path("customer");
      Order.Customer customer =
          c.isObject() && c.has("id")
              ? new Order.Customer(
                  "gid://shopify/Customer/" + c.get("id").asText(),
                  text(c, "first_name"),
                  text(c, "last_name"),
                  text(c, "email"))
              : null;
      String tags = text(n, "tags");
      return Order.builder()
          .shop(shop.value())
          .id(id)
          .legacyId(Long.parseLong(id.substring(ORDER_GID.length())))
          .name(required(n, "name"))
          .number(n.path("order_number").isInt() ? n.get("order_number").asInt() : null)
          .createdAt(time(n, "created_at", true))
          .updatedAt(time(n, "updated_at", true))
          .processedAt(time(n, "processed_at", false))
          .cancelledAt(time(n, "cancelled_at", false))
          .cancelReason(known(CANCEL_REASONS, text(n, "cancel_reason")))
          .closedAt(time(n, "closed_at", false))
          .test(n.path("test").asBoolean(false))
          .sourceName(text(n, "source_name"))
          .email(text(n, "email"))
          .phone(text(n, "phone"))
          .financialStatus(known(FINANCIAL_STATUSES, text(n, "financial_status")))
          .fulfillmentStatus(fulfillment(text(n, "fulfillment_status")))
          .currency(required(n, "currency"))
          .totalPrice(decimal(n, "total_price", true))
          .subtotalPrice(decimal(n, "subtotal_price", false))
          .totalTax(decimal(n, "total_tax", false))
          .totalShipping(
              decimal(n.path("total_shipping_price_set").path("shop_money"), "amount", false))
          .totalDiscounts(decimal(n, "total_discounts", false))
          .customer(customer)
          .shippingAddress(address(n.path("shipping_address")))
          .billingAddress(address(n.path("billing_address")))
          .shippingLines(shipping)
          .tags(
              tags == null || tags.isBlank()
                  ? List.of()
                  : Arrays.stream(tags.split(",")).map(String::trim).toList())
          .note(text(n, "note"))
          .lineItems(items)
          .rawFormat(Order.RawFormat.REST)
          .rawPayload(n.toString())
          .current(
              new Order.Current(
                  decimal(n, "current_total_price", false),
                  decimal(n, "current_subtotal_price", false),
                  decimal(n, "current_total_tax", false),
                  decimal(n, "current_total_discounts", false),
                  refunded(n.path("refunds"))))
          .presentment(
              new Order.Presentment(
                  text(n, "presentment_currency"),
                  decimal(n.path("total_price_set").path("presentment_money"), "amount", false),
                  decimal(
                      n.path("current_total_price_set").path("presentment_money"),
                      "amount",
                      false)))
          .discountCodes(discountCodes(n.path("discount_codes")))
          .build();
    } catch (OrderMappingException e) {
      throw new OrderMappingException(id + ": " + e.getMessage(), e);
    } catch (NumberFormatException e) {
      throw new OrderMappingException(id + ": a money amount is not a decimal", e);
    }
  }

  /**
   * REST's fulfillment_status in the GraphQL API's displayFulfillmentStatus terms, as Shopify
   * documents them (null: none of the items fulfilled). A value REST does not document (such as
   * "pending") becomes no value at all, never one GraphQL does not have.
   */
  private static String fulfillment(String rest) {
    if (rest == null) {
      return "UNFULFILLED";
    }
    return switch (rest) {
      case "fulfilled" -> "FULFILLED";
      case "partial" -> "PARTIALLY_FULFILLED";
      case "restocked" -> "RESTOCKED";
      default -> null;
    };
  }

  /** REST's financial_status values; each is the lower case of the GraphQL one. */
  private static final Set<String> FINANCIAL_STATUSES =
      Set.of(
          "PENDING",
          "AUTHORIZED",
          "PARTIALLY_PAID",
          "PAID",
          "PARTIALLY_REFUNDED",
          "REFUNDED",
          "VOIDED",
          "EXPIRED");

  private static final Set<String> CANCEL_REASONS =
      Set.of("CUSTOMER", "DECLINED", "FRAUD", "INVENTORY", "OTHER", "STAFF");

  /** The GraphQL value of a documented REST one; an undocumented one is none. */
  private static String known(Set<String> values, String rest) {
    String upper = rest == null ? null : rest.toUpperCase(Locale.ROOT);
    return upper != null && values.contains(upper) ? upper : null;
  }

  /** A line's total less the discounts allocated to it; null when the payload has none. */
  private static BigDecimal discountedTotal(JsonNode li, BigDecimal price, int quantity) {
    JsonNode allocations = li.path("discount_allocations");
    if (!allocations.isArray()) {
      return null;
    }
    BigDecimal total = price.multiply(BigDecimal.valueOf(quantity));
    for (JsonNode a : allocations) {
      total = total.subtract(decimal(a, "amount", true));
    }
    return total;
  }

  /** What the refunds' successful refund transactions paid back; null when none are listed. */
  private static BigDecimal refunded(JsonNode refunds) {
    if (!refunds.isArray()) {
      return null;
    }
    BigDecimal total = BigDecimal.ZERO;
    for (JsonNode r : refunds) {
      for (JsonNode t : r.path("transactions")) {
        if ("refund".equals(text(t, "kind")) && "success".equals(text(t, "status"))) {
          total = total.add(decimal(t, "amount", true));
        }
      }
    }
    return total;
  }

  private static List<String> discountCodes(JsonNode codes) {
    List<String> out = new ArrayList<>();
    for (JsonNode c : codes) {
      String code = c.isObject() ? text(c, "code") : null;
      if (code != null) {
        out.add(code);
      }
    }
    return out;
  }

  private static Order.Address address(JsonNode a) {
    if (!a.isObject()) {
      return null;
    }
    return new Order.Address(
        text(a, "first_name"),
        text(a, "last_name"),
        text(a, "company"),
        text(a, "address1"),
        text(a, "address2"),
        text(a, "city"),
        text(a, "province"),
        text(a, "province_code"),
        text(a, "country"),
        text(a, "country_code"),
        text(a, "zip"),
        text(a, "phone"));
  }

  private static Instant time(JsonNode n, String field, boolean required) {
    String v = text(n, field);
    if (v == null) {
      if (required) {
        throw new OrderMappingException(field + " is missing");
      }
      return null;
    }
    try {
      return OffsetDateTime.parse(v).toInstant();
    } catch (DateTimeParseException e) {
      throw new OrderMappingException(field + " is not an ISO-8601 time");
    }
  }

  private static BigDecimal decimal(JsonNode n, String field, boolean required) {
    JsonNode v = n.path(field);
    if (v.isMissingNode() || v.isNull()) {
      if (required) {
        throw new OrderMappingException(field + " is missing");
      }
      return null;
    }
    return JsonFields.decimal(v, field);
  }
}
