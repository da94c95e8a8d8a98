package dev.ordersync.shops;

import dev.ordersync.config.ShopDomain;
import dev.ordersync.shopify.Shops;
import java.util.List;
import java.util.function.Function;

/** The installed shops as {@link Shops} serves them: read from the database, opened on demand. */
public final class InstalledApis implements Shops.Installed {
  private final InstalledShops installed;
  private final Function<ShopDomain, Shops.Api> open;

  /**
   * @param open makes an installed shop's API on the tokens its install stored
   */
  public InstalledApis(InstalledShops installed, Function<ShopDomain, Shops.Api> open) {
    this.installed = installed;
    this.open = open;
  }

  @Override
  public List<ShopDomain> names() {
    return installed.all().stream().map(i -> ShopDomain.of(i.shop())).toList();
  }

  @Override
  public boolean serves(ShopDomain shop) {
    return installed.find(shop).filter(i -> i.state() != ShopStates.State.REMOVED).isPresent();
  }

  @Override
  public Shops.Api open(ShopDomain shop) {
    return open.apply(shop);
  }
}
