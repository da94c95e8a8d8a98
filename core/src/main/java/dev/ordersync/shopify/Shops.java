package dev.ordersync.shopify;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The configured shops' APIs, by domain, in the configuration's order. */
public final class Shops {
  private final Map<String, ShopifyOrders> byDomain = new LinkedHashMap<>();
  private final Map<String, ShopAdmin> admins = new LinkedHashMap<>();

  /** One shop's two faces of the Admin API, on one client (one rate limit, one token). */
  public record Api(ShopifyOrders orders, ShopAdmin admin) {}

  public Shops(List<Api> apis) {
    for (Api api : apis) {
      byDomain.put(api.orders().shop(), api.orders());
      admins.put(api.orders().shop(), api.admin());
    }
  }

  /** The shop's non-order API (zone, scopes, webhooks), on the same client and rate limit. */
  public ShopAdmin admin(String shop) {
    get(shop);
    return admins.get(shop);
  }

  /** The shop's non-order API, or null when it is not configured (any more). */
  public ShopAdmin findAdmin(String shop) {
    return admins.get(shop);
  }

  public List<String> names() {
    return List.copyOf(byDomain.keySet());
  }

  public Collection<ShopifyOrders> all() {
    return byDomain.values();
  }

  /** The shop's API; a usage error naming the configured ones when it is not configured. */
  public ShopifyOrders get(String shop) {
    ShopifyOrders api = byDomain.get(shop);
    if (api == null) {
      throw new IllegalArgumentException(
          "unknown shop '" + shop + "'; configured: " + String.join(", ", byDomain.keySet()));
    }
    return api;
  }

  /** The shop's API, or null when it is not configured (any more). */
  public ShopifyOrders find(String shop) {
    return byDomain.get(shop);
  }
}
