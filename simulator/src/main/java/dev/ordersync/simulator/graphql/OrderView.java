package dev.ordersync.simulator.graphql;

import dev.ordersync.simulator.store.SimAddress;
import dev.ordersync.simulator.store.SimCustomer;
import dev.ordersync.simulator.store.SimLineItem;
import dev.ordersync.simulator.store.SimOrder;
import java.math.BigDecimal;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The GraphQL view of an order: maps the default property fetchers can read. */
final class OrderView {
  static final String LINE_ITEMS = "_lineItems";
  static final String SHIPPING_LINES = "_shippingLines";

  private OrderView() {}

  static Map<String, Object> of(SimOrder o) {
    Map<String, Object> m = new HashMap<>();
    m.put("__typename", "Order");
    m.put("id", o.gid());
    m.put("legacyResourceId", o.id());
    m.put("name", o.name());
    m.put("number", o.number());
    m.put("createdAt", o.createdAt());
    m.put("updatedAt", o.updatedAt());
    m.put("processedAt", o.processedAt());
    m.put("cancelledAt", o.cancelledAt());
    m.put("cancelReason", o.cancelReason());
    m.put("closed", o.closed());
    m.put("closedAt", o.closedAt());
    m.put("test", o.test());
    m.put("sourceName", o.sourceName());
    m.put("email", o.email());
    m.put("phone", o.phone());
    m.put("displayFinancialStatus", o.financialStatus());
    m.put("displayFulfillmentStatus", o.fulfillmentStatus());
    m.put("currencyCode", o.currency());
    m.put("totalPriceSet", money(o.total(), o.currency()));
    m.put("subtotalPriceSet", money(o.subtotal(), o.currency()));
    m.put("totalTaxSet", money(o.totalTax(), o.currency()));
    m.put("totalShippingPriceSet", money(o.totalShipping(), o.currency()));
    m.put("totalDiscountsSet", money(o.totalDiscounts(), o.currency()));
    m.put("currentTotalPriceSet", money(o.currentTotal(), o.currency()));
    m.put("currentSubtotalPriceSet", money(o.currentSubtotal(), o.currency()));
    m.put("currentTotalTaxSet", money(o.currentTax(), o.currency()));
    m.put("currentTotalDiscountsSet", money(o.currentDiscounts(), o.currency()));
    m.put("totalRefundedSet", money(o.totalRefunded(), o.currency()));
    m.put("presentmentCurrencyCode", o.currency());
    m.put("discountCodes", o.discountCodes());
    m.put("shippingAddress", address(o.shippingAddress()));
    m.put("billingAddress", address(o.billingAddress()));
    m.put("customer", customer(o.customer()));
    m.put("tags", o.tags());
    m.put("note", o.note());
    m.put(LINE_ITEMS, o.lineItems().stream().map(li -> lineItem(li, o)).toList());
    m.put(SHIPPING_LINES, o.shippingTitle() == null ? List.of() : List.of(shippingLine(o)));
    m.put("shippingLine", o.shippingTitle() == null ? null : shippingLine(o));
    return m;
  }

  private static Map<String, Object> lineItem(SimLineItem li, SimOrder o) {
    String currency = o.currency();
    Map<String, Object> m = new HashMap<>();
    m.put("__typename", "LineItem");
    m.put("id", "gid://shopify/LineItem/" + li.id());
    m.put("sku", li.sku());
    m.put("title", li.title());
    m.put("quantity", li.quantity());
    m.put("currentQuantity", li.currentQuantity());
    m.put(
        "variant",
        Map.of(
            "__typename",
            "ProductVariant",
            "id",
            "gid://shopify/ProductVariant/" + li.variantId()));
    m.put("originalUnitPriceSet", money(li.unitPrice(), currency));
    m.put("discountedTotalSet", money(o.discountedTotal(li), currency));
    return m;
  }

  private static Map<String, Object> shippingLine(SimOrder o) {
    Map<String, Object> m = new HashMap<>();
    m.put("id", "gid://shopify/ShippingLine/" + o.id());
    m.put("title", o.shippingTitle());
    m.put("code", o.shippingTitle().toUpperCase().replace(' ', '_'));
    m.put("originalPriceSet", money(o.totalShipping(), o.currency()));
    return m;
  }

  static Map<String, Object> money(BigDecimal amount, String currency) {
    Map<String, Object> v = Map.of("amount", amount, "currencyCode", currency);
    return Map.of("shopMoney", v, "presentmentMoney", v);
  }

  private static Map<String, Object> address(SimAddress a) {
    if (a == null) {
      return null;
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", "gid://shopify/MailingAddress/" + a.id());
    m.put("firstName", a.firstName());
    m.put("lastName", a.lastName());
    m.put("name", a.name());
    m.put("company", a.company());
    m.put("address1", a.address1());
    m.put("address2", a.address2());
    m.put("city", a.city());
    m.put("province", a.province());
    m.put("provinceCode", a.provinceCode());
    m.put("country", a.country());
    m.put("countryCodeV2", a.countryCode());
    m.put("zip", a.zip());
    m.put("phone", a.phone());
    return m;
  }

  private static Map<String, Object> customer(SimCustomer c) {
    if (c == null) {
      return null;
    }
    Map<String, Object> m = new HashMap<>();
    m.put("id", "gid://shopify/Customer/" + c.id());
    m.put("firstName", c.firstName());
    m.put("lastName", c.lastName());
    m.put("displayName", c.displayName());
    m.put("email", c.email());
    m.put("defaultEmailAddress", c.email() == null ? null : Map.of("emailAddress", c.email()));
    return m;
  }
}
