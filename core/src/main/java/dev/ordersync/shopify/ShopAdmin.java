package dev.ordersync.shopify;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ordersync.config.ShopDomain;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What order-sync asks of a shop besides its orders: its time zone, the scopes it granted, its
 * webhook subscriptions, and the checks {@code doctor} runs.
 */
public final class ShopAdmin {
  /** How far back Shopify shows orders to an app without read_all_orders. */
  public static final java.time.Duration VISIBLE_WITHOUT_ALL_ORDERS = java.time.Duration.ofDays(60);

  private final ShopifyClient client;
  private volatile Boolean seesAllOrders;

  public ShopAdmin(ShopifyClient client) {
    this.client = client;
  }

  /**
   * Refuses a read of orders from {@code start} on when it reaches past the last 60 days and the
   * app lacks read_all_orders: Shopify would show none of the older orders, and stored ones would
   * look deleted. Asks Shopify for the scopes once, and only when it matters.
   */
  public void requireHistorySince(java.time.Instant start, java.time.Instant now) {
    if (!start.isBefore(now.minus(VISIBLE_WITHOUT_ALL_ORDERS))) {
      return;
    }
    if (seesAllOrders == null) {
      seesAllOrders = grantedScopes().contains("read_all_orders");
    }
    if (!seesAllOrders) {
      throw new ShopifyException(
          ShopifyException.Kind.PERMANENT,
          client.shop(),
          "reading "
              + "orders from "
              + start
              + " needs the read_all_orders scope: without it Shopify "
              + "shows only the last 60 days, and older orders would look deleted. Ask the "
              + "merchant to grant read_all_orders, or read a more recent window.",
          null);
    }
  }

  public ShopDomain shop() {
    return client.shop();
  }

  public ShopifyClient client() {
    return client;
  }

  /** One quick question, not retried: the shop's time zone, or why Shopify does not answer. */
  public String probe() {
    return client
        .queryOnce(OrderQueries.SHOP, Map.of())
        .data()
        .path("shop")
        .path("ianaTimezone")
        .asText();
  }

  /** The shop's own domain, as Shopify names the shop that answers (not retried). */
  public String myshopifyDomain() {
    return client
        .queryOnce(OrderQueries.SHOP, Map.of())
        .data()
        .path("shop")
        .path("myshopifyDomain")
        .asText();
  }

  public String ianaTimezone() {
    return client
        .query(OrderQueries.SHOP, Map.of(), 2)
        .data()
        .path("shop")
        .path("ianaTimezone")
        .asText();
  }

  /** The access scopes the merchant granted the app (read_orders, read_all_orders, ...). */
  public Set<String> grantedScopes() {
    Set<String> out = new LinkedHashSet<>();
    for (JsonNode s :
        client
            .query(OrderQueries.SCOPES, Map.of(), 3)
            .data()
            .path("currentAppInstallation")
            .path("accessScopes")) {
      out.add(s.path("handle").asText());
    }
    return out;
  }

  /** A webhook subscription: its GID, topic (ORDERS_CREATE) and address. */
  public record Subscription(String id, String topic, String uri) {}

  public List<Subscription> webhookSubscriptions() {
    List<Subscription> out = new ArrayList<>();
    for (JsonNode n :
        client
            .query(OrderQueries.WEBHOOKS, Map.of(), 102)
            .data()
            .path("webhookSubscriptions")
            .path("nodes")) {
      out.add(
          new Subscription(
              n.path("id").asText(), n.path("topic").asText(), n.path("uri").asText()));
    }
    return out;
  }

  public String createWebhook(String topic, String uri) {
    JsonNode payload =
        client
            .query(OrderQueries.WEBHOOK_CREATE, Map.of("topic", topic, "uri", uri), 10)
            .data()
            .path("webhookSubscriptionCreate");
    JsonNode errors = payload.path("userErrors");
    if (errors.isArray() && !errors.isEmpty()) {
      throw new ShopifyException(
          ShopifyException.Kind.PERMANENT,
          client.shop(),
          "webhookSubscriptionCreate(" + topic + "): " + errors.get(0).path("message").asText(),
          null);
    }
    return payload.path("webhookSubscription").path("id").asText();
  }

  /** Reads protected customer data once; throws ACCESS_DENIED when the app may not. */
  public void readCustomerData() {
    client.query(OrderQueries.CUSTOMER_DATA, Map.of(), 10);
  }
}
