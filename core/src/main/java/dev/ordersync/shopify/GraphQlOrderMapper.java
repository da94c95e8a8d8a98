package dev.ordersync.shopify;

import static dev.ordersync.shopify.JsonFields.required;
import static dev.ordersync.shopify.JsonFields.requiredInt;
import static dev.ordersync.shopify.JsonFields.text;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ordersync.config.ShopDomain;
import dev.ordersync.orders.Order;
import dev.ordersync.orders.OrderMappingException;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/** Maps an {@code Order} node of the Admin GraphQL API (see OrderQueries.ORDER_FIELDS). */
public final class GraphQlOrderMapper {
  private GraphQlOrderMapper() {}

  public static Order map(ShopDomain shop, JsonNode n) {
    String id = required(n, "id");
    try {
      List<Order.LineItem> items = new ArrayList<>();
      for (JsonNode li : n.path("lineItems").path("nodes")) {
        items.add(lineItem(li));
      }
      List<Order.ShippingLine> shipping = new ArrayList<>();
      for (JsonNode sl : n.path("shippingLines").path("nodes")) {
        shipping.add(
            new Order.ShippingLine(
                required(sl, "title"),
                text(sl, "code"),
                money(sl.path("originalPriceSet"), "shippingLines.originalPriceSet")));
      }
      List<String> tags = new ArrayList<>();
      for (JsonNode t : n.path("tags")) {
        tags.add(t.asText());
      }
      JsonNode c = n.path("customer");
      Order.Customer customer =
          c.isObject()
              ? new Order.Customer(
                  required(c, "id"),
                  text(c, "firstName"),
                  text(c, "lastName"),
                  text(c.path("defaultEmailAddress"), "emailAddress"))
              : null;
      List<String> codes = new ArrayList<>();
      for (JsonNode code : n.path("discountCodes")) {
        codes.add(code.asText());
      }
      return Order.builder()
          .shop(shop.value())
          .id(id)
          .legacyId(legacyId(n))
          .name(required(n, "name"))
          .number(n.path("number").isInt() ? n.get("number").asInt() : null)
          .createdAt(time(n, "createdAt", true))
          .updatedAt(time(n, "updatedAt", true))
          .processedAt(time(n, "processedAt", false))
          .cancelledAt(time(n, "cancelledAt", false))
          .cancelReason(text(n, "cancelReason"))
          .closedAt(time(n, "closedAt", false))
          .test(n.path("test").asBoolean(false))
          .sourceName(text(n, "sourceName"))
          .email(text(n, "email"))
          .phone(text(n, "phone"))
          .financialStatus(text(n, "displayFinancialStatus"))
          .fulfillmentStatus(text(n, "displayFulfillmentStatus"))
          .currency(required(n, "currencyCode"))
          .totalPrice(money(n.path("totalPriceSet"), "totalPriceSet"))
          .subtotalPrice(optionalMoney(n.path("subtotalPriceSet")))
          .totalTax(optionalMoney(n.path("totalTaxSet")))
          .totalShipping(optionalMoney(n.path("totalShippingPriceSet")))
          .totalDiscounts(optionalMoney(n.path("totalDiscountsSet")))
          .customer(customer)
          .shippingAddress(address(n.path("shippingAddress")))
          .billingAddress(address(n.path("billingAddress")))
          .shippingLines(shipping)
          .tags(tags)
          .note(text(n, "note"))
          .lineItems(items)
          .rawFormat(Order.RawFormat.GRAPHQL)
          .rawPayload(n.toString())
          .current(
              new Order.Current(
                  optionalMoney(n.path("currentTotalPriceSet")),
                  optionalMoney(n.path("currentSubtotalPriceSet")),
                  optionalMoney(n.path("currentTotalTaxSet")),
                  optionalMoney(n.path("currentTotalDiscountsSet")),
                  optionalMoney(n.path("totalRefundedSet"))))
          .presentment(
              new Order.Presentment(
                  text(n, "presentmentCurrencyCode"),
                  presentment(n.path("totalPriceSet")),
                  presentment(n.path("currentTotalPriceSet"))))
          .discountCodes(codes)
          .build();
    } catch (OrderMappingException e) {
      throw new OrderMappingException(id + ": " + e.getMessage(), e);
    }
  }

  /** Whether the order's line items were cut off by the page's nested {@code first}. */
  public static boolean hasMoreLineItems(JsonNode n) {
    return n.path("lineItems").path("pageInfo").path("hasNextPage").asBoolean(false);
  }

  public static String lineItemsEndCursor(JsonNode n) {
    return text(n.path("lineItems").path("pageInfo"), "endCursor");
  }

  public static Order.LineItem lineItem(JsonNode li) {
    return new Order.LineItem(
        required(li, "id"),
        text(li, "sku"),
        required(li, "title"),
        requiredInt(li, "quantity"),
        requiredInt(li, "currentQuantity"),
        li.path("variant").isObject() ? text(li.get("variant"), "id") : null,
        money(li.path("originalUnitPriceSet"), "lineItems.originalUnitPriceSet"),
        optionalMoney(li.path("discountedTotalSet")));
  }

  private static long legacyId(JsonNode n) {
    // UnsignedInt64 comes as a JSON string
    String raw = required(n, "legacyResourceId");
    try {
      return Long.parseLong(raw);
    } catch (NumberFormatException e) {
      throw new OrderMappingException("legacyResourceId is not a number");
    }
  }

  private static Order.Address address(JsonNode a) {
    if (!a.isObject()) {
      return null;
    }
    return new Order.Address(
        text(a, "firstName"),
        text(a, "lastName"),
        text(a, "company"),
        text(a, "address1"),
        text(a, "address2"),
        text(a, "city"),
        text(a, "province"),
        text(a, "provinceCode"),
        text(a, "country"),
        text(a, "countryCodeV2"),
        text(a, "zip"),
        text(a, "phone"));
  }

  private static BigDecimal money(JsonNode set, String field) {
    JsonNode amount = set.path("shopMoney").path("amount");
    if (amount.isMissingNode() || amount.isNull()) {
      throw new OrderMappingException(field + ".shopMoney.amount is missing");
    }
    return JsonFields.decimal(amount, field + ".shopMoney.amount");
  }

  private static BigDecimal optionalMoney(JsonNode set) {
    return set.isObject() ? money(set, "money") : null;
  }

  private static BigDecimal presentment(JsonNode set) {
    JsonNode amount = set.path("presentmentMoney").path("amount");
    return amount.isMissingNode() || amount.isNull()
        ? null
        : JsonFields.decimal(amount, "presentmentMoney.amount");
  }

  private static Instant time(JsonNode n, String field, boolean required) {
    JsonNode v = n.get(field);
    if (v == null || v.isNull()) {
      if (required) {
        throw new OrderMappingException(field + " is missing");
      }
      return null;
    }
    try {
      return Instant.parse(v.asText());
    } catch (DateTimeParseException e) {
      throw new OrderMappingException(field + " is not an ISO-8601 time");
    }
  }
}
