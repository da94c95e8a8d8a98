package dev.ordersync.shopify;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The configured shops' APIs, by domain, in the configuration's order. */
public final class Shops {
  private final Map<String, ShopifyOrders> byDomain = new LinkedHashMap<>();

  public Shops(List<ShopifyOrders> apis) {
    for (ShopifyOrders api : apis) {
      byDomain.put(api.shop(), api);
    }
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
      throw new IllegalArgumentException("unknown shop '" + shop + "'; configured: "
          + String.join(", ", byDomain.keySet()));
    }
    return api;
  }

  /** The shop's API, or null when it is not configured (any more). */
  public ShopifyOrders find(String shop) {
    return byDomain.get(shop);
  }
}
