package dev.ordersync.shopify;

import dev.ordersync.config.ShopDomain;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The shops order-sync serves, by domain: the configured ones, in the configuration's order, then
 * those merchants installed (kept in the database, so every instance serves them without a
 * restart). An installed shop's API is made the first time it is asked for; a shop in both is the
 * configuration's.
 */
public final class Shops {
  private final Map<ShopDomain, Api> configured = new LinkedHashMap<>();
  private final Map<ShopDomain, Api> opened = new ConcurrentHashMap<>();
  private final Installed installed;

  /** One shop's two faces of the Admin API, on one client (one rate limit, one token). */
  public record Api(ShopifyOrders orders, ShopAdmin admin) {}

  /** Where the installed shops come from. */
  public interface Installed {
    /** The installed shops served now, by domain (not those removed). */
    List<ShopDomain> names();

    /** Whether the shop is installed and not removed. */
    boolean serves(ShopDomain shop);

    /** The shop's API, on the tokens its install stored. */
    Api open(ShopDomain shop);

    Installed NONE =
        new Installed() {
          @Override
          public List<ShopDomain> names() {
            return List.of();
          }

          @Override
          public boolean serves(ShopDomain shop) {
            return false;
          }

          @Override
          public Api open(ShopDomain shop) {
            throw new IllegalStateException("no shop is installed");
          }
        };
  }

  public Shops(List<Api> apis) {
    this(apis, Installed.NONE);
  }

  public Shops(List<Api> apis, Installed installed) {
    for (Api api : apis) {
      configured.put(api.orders().shop(), api);
    }
    this.installed = installed;
  }

  /** The shop's non-order API (zone, scopes, webhooks), on the same client and rate limit. */
  public ShopAdmin admin(ShopDomain shop) {
    return api(shop).admin();
  }

  /** The shop's non-order API, or null when it is not served (any more). */
  public ShopAdmin findAdmin(ShopDomain shop) {
    Api api = findApi(shop);
    return api == null ? null : api.admin();
  }

  /** The configured shops, then the installed ones. */
  public List<ShopDomain> names() {
    List<ShopDomain> names = new ArrayList<>(configured.keySet());
    for (ShopDomain shop : installed.names()) {
      if (!configured.containsKey(shop)) {
        names.add(shop);
      }
    }
    return names;
  }

  /** Whether the shop is in the configuration file (else it was installed). */
  public boolean configured(ShopDomain shop) {
    return configured.containsKey(shop);
  }

  public Collection<ShopifyOrders> all() {
    List<ShopifyOrders> all = new ArrayList<>();
    for (ShopDomain shop : names()) {
      Api api = findApi(shop);
      if (api != null) {
        all.add(api.orders());
      }
    }
    return all;
  }

  /** The shop's API; a usage error naming the served ones when it is not served. */
  public ShopifyOrders get(ShopDomain shop) {
    return api(shop).orders();
  }

  /** The shop's API, or null when it is not served (any more). */
  public ShopifyOrders find(ShopDomain shop) {
    Api api = findApi(shop);
    return api == null ? null : api.orders();
  }

  private Api api(ShopDomain shop) {
    Api api = findApi(shop);
    if (api == null) {
      throw new IllegalArgumentException(
          "unknown shop '"
              + shop
              + "'; served: "
              + names().stream()
                  .map(ShopDomain::value)
                  .collect(java.util.stream.Collectors.joining(", ")));
    }
    return api;
  }

  private Api findApi(ShopDomain shop) {
    if (shop == null) {
      return null;
    }
    Api api = configured.get(shop);
    if (api != null) {
      return api;
    }
    api = opened.get(shop);
    if (api != null) {
      return api;
    }
    if (!installed.serves(shop)) {
      return null;
    }
    return opened.computeIfAbsent(shop, installed::open);
  }
}
