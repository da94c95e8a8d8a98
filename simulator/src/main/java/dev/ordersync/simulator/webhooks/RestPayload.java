package dev.ordersync.simulator.webhooks;

import dev.ordersync.simulator.store.SimAddress;
import dev.ordersync.simulator.store.SimLineItem;
import dev.ordersync.simulator.store.SimOrder;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * An order as Shopify's webhooks send it: the REST resource, snake_case keys, money as strings,
 * times in the shop's own offset ({@code 2026-11-27T09:30:00-05:00}), ids as numbers.
 */
public final class RestPayload {
  private static final DateTimeFormatter OFFSET_TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssXXX");

  private RestPayload() {}

  /**
   * An order's REST body as a shop's webhook carries it: with its {@code order_status_url}, whose
   * host is the shop's domain (Shopify signs it with the rest of the body).
   */
  public static Map<String, Object> order(SimOrder o, ZoneId zone, String shopDomain) {
    Map<String, Object> m = order(o, zone);
    m.put(
        "order_status_url",
        "https://"
            + shopDomain
            + "/"
            + o.id()
            + "/orders/"
            + Long.toHexString(o.id() * 31)
            + "/authenticate");
    return m;
  }

  public static Map<String, Object> order(SimOrder o, ZoneId zone) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", o.id());
    m.put("admin_graphql_api_id", o.gid());
    m.put("name", o.name());
    m.put("order_number", o.number());
    m.put("number", o.number() - 1000);
    m.put("created_at", time(o.createdAt(), zone));
    m.put("updated_at", time(o.updatedAt(), zone));
    m.put("processed_at", time(o.processedAt(), zone));
    m.put("cancelled_at", time(o.cancelledAt(), zone));
    m.put(
        "cancel_reason",
        o.cancelReason() == null ? null : o.cancelReason().toLowerCase(Locale.ROOT));
    m.put("closed_at", time(o.closedAt(), zone));
    m.put("test", o.test());
    m.put("source_name", o.sourceName());
    m.put("email", o.email());
    m.put("phone", o.phone());
    m.put("financial_status", o.financialStatus().toLowerCase(Locale.ROOT));
    m.put("fulfillment_status", fulfillment(o.fulfillmentStatus()));
    m.put("currency", o.currency());
    m.put("presentment_currency", o.currency());
    m.put("total_price", money(o.total()));
    m.put("subtotal_price", money(o.subtotal()));
    m.put("total_tax", money(o.totalTax()));
    m.put("total_discounts", money(o.totalDiscounts()));
    m.put("total_price_set", moneySet(o.total(), o.currency()));
    m.put("current_total_price", money(o.currentTotal()));
    m.put("current_total_price_set", moneySet(o.currentTotal(), o.currency()));
    m.put("current_subtotal_price", money(o.currentSubtotal()));
    m.put("current_total_tax", money(o.currentTax()));
    m.put("current_total_discounts", money(o.currentDiscounts()));
    m.put(
        "discount_codes",
        o.discountCodes().stream()
            .map(
                code ->
                    Map.of(
                        "code", code, "amount", money(o.totalDiscounts()), "type", "fixed_amount"))
            .toList());
    m.put(
        "refunds",
        o.totalRefunded().signum() == 0
            ? List.of()
            : List.of(
                Map.of(
                    "id",
                    o.id() * 10,
                    "order_id",
                    o.id(),
                    "transactions",
                    List.of(
                        Map.of(
                            "id",
                            o.id() * 10 + 1,
                            "kind",
                            "refund",
                            "status",
                            "success",
                            "amount",
                            money(o.totalRefunded()),
                            "currency",
                            o.currency())))));
    m.put(
        "total_shipping_price_set",
        Map.of(
            "shop_money",
            Map.of("amount", money(o.totalShipping()), "currency_code", o.currency()),
            "presentment_money",
            Map.of("amount", money(o.totalShipping()), "currency_code", o.currency())));
    m.put("shipping_address", address(o.shippingAddress()));
    m.put("billing_address", address(o.billingAddress()));
    if (o.customer() != null) {
      Map<String, Object> c = new LinkedHashMap<>();
      c.put("id", o.customer().id());
      c.put("email", o.customer().email());
      c.put("first_name", o.customer().firstName());
      c.put("last_name", o.customer().lastName());
      m.put("customer", c);
    } else {
      m.put("customer", null);
    }
    m.put("tags", String.join(", ", o.tags()));
    m.put("note", o.note());
    m.put("line_items", o.lineItems().stream().map(li -> lineItem(li, o)).toList());
    m.put(
        "shipping_lines",
        o.shippingTitle() == null
            ? List.of()
            : List.of(
                Map.of(
                    "id",
                    o.id(),
                    "title",
                    o.shippingTitle(),
                    "code",
                    o.shippingTitle().toUpperCase(Locale.ROOT).replace(' ', '_'),
                    "price",
                    money(o.totalShipping()))));
    return m;
  }

  private static Map<String, Object> lineItem(SimLineItem li, SimOrder o) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", li.id());
    m.put("admin_graphql_api_id", "gid://shopify/LineItem/" + li.id());
    m.put("sku", li.sku());
    m.put("title", li.title());
    m.put("name", li.title());
    m.put("quantity", li.quantity());
    m.put("current_quantity", li.currentQuantity());
    m.put("variant_id", li.variantId());
    m.put("price", money(li.unitPrice()));
    BigDecimal allocated =
        li.unitPrice().multiply(BigDecimal.valueOf(li.quantity())).subtract(o.discountedTotal(li));
    m.put(
        "discount_allocations",
        allocated.signum() == 0
            ? List.of()
            : List.of(Map.of("amount", money(allocated), "discount_application_index", 0)));
    return m;
  }

  private static Map<String, Object> address(SimAddress a) {
    if (a == null) {
      return null;
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("first_name", a.firstName());
    m.put("last_name", a.lastName());
    m.put("name", a.name());
    m.put("company", a.company());
    m.put("address1", a.address1());
    m.put("address2", a.address2());
    m.put("city", a.city());
    m.put("province", a.province());
    m.put("province_code", a.provinceCode());
    m.put("country", a.country());
    m.put("country_code", a.countryCode());
    m.put("zip", a.zip());
    m.put("phone", a.phone());
    return m;
  }

  private static String fulfillment(String status) {
    switch (status) {
      case "FULFILLED":
        return "fulfilled";
      case "PARTIALLY_FULFILLED":
        return "partial";
      case "RESTOCKED":
        return "restocked";
      default:
        return null;
    }
  }

  private static Map<String, Object> moneySet(BigDecimal amount, String currency) {
    Map<String, Object> v = Map.of("amount", money(amount), "currency_code", currency);
    return Map.of("shop_money", v, "presentment_money", v);
  }

  private static String money(BigDecimal amount) {
    return amount.setScale(2, java.math.RoundingMode.HALF_UP).toPlainString();
  }

  private static String time(Instant t, ZoneId zone) {
    return t == null ? null : OFFSET_TIME.format(t.atZone(zone));
  }
}
