package dev.ordersync.shops;

import dev.ordersync.config.ShopConfig;
import dev.ordersync.config.ShopDomain;
import dev.ordersync.secrets.Secret;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Whose webhooks the intake takes, signed with what: a configured shop's with its secrets, an
 * installed shop's with the app's client secret (also once it was uninstalled: Shopify's compliance
 * deliveries come after). An uninstalled shop's order topics are not taken.
 */
public final class ShopSigning {
  private final Map<ShopDomain, List<Secret>> configured = new LinkedHashMap<>();
  private final Optional<Secret> appSecret;
  private final InstalledShops installed;

  public ShopSigning(List<ShopConfig> shops, Optional<Secret> appSecret, InstalledShops installed) {
    shops.forEach(s -> configured.put(s.domain(), s.signingSecrets()));
    this.appSecret = appSecret;
    this.installed = installed;
  }

  /** The secrets the shop's deliveries may be signed with; null for a shop not served. */
  public List<Secret> secretsOf(ShopDomain shop) {
    List<Secret> secrets = configured.get(shop);
    if (secrets != null) {
      return secrets;
    }
    if (appSecret.isPresent() && installed.recent(shop).isPresent()) {
      return List.of(appSecret.get());
    }
    return null;
  }

  /** Whether the shop is served, for labels: a configured or installed shop. */
  public boolean known(ShopDomain shop) {
    return configured.containsKey(shop)
        || appSecret.isPresent() && installed.recent(shop).isPresent();
  }

  /** Whether the shop's order deliveries are taken: not once it was uninstalled or removed. */
  public boolean takesOrders(ShopDomain shop) {
    if (configured.containsKey(shop)) {
      return true;
    }
    return installed
        .recent(shop)
        .map(i -> i.state() == ShopStates.State.ACTIVE || i.state() == ShopStates.State.PAUSED)
        .orElse(false);
  }
}
