package dev.ordersync.sync;

import dev.ordersync.config.ShopDomain;
import dev.ordersync.shopify.ShopifyOrders;
import dev.ordersync.shopify.Shops;
import java.util.ArrayList;
import java.util.List;

/** {@code sync --once} and the service's sync job: one incremental pass per shop. */
public final class Sync {
  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(Sync.class);
  private final SyncPass pass;
  private final Shops shops;
  private final java.util.function.Predicate<ShopDomain> active;

  /**
   * @param active whether a shop may be called now: not while it is paused or uninstalled
   */
  public Sync(SyncPass pass, Shops shops, java.util.function.Predicate<ShopDomain> active) {
    this.pass = pass;
    this.shops = shops;
    this.active = active;
  }

  /** One pass of every shop, in turn; one shop's failure never stops the others. */
  public List<PassResult> once() {
    return once(PassProgress.NONE);
  }

  /** The same, telling {@code progress} of each page. */
  public List<PassResult> once(PassProgress progress) {
    List<PassResult> results = new ArrayList<>();
    for (ShopifyOrders api : shops.all()) {
      if (!active.test(api.shop())) {
        log.info(
            "{}: skipped: the shop is paused or uninstalled (order-sync shops list)", api.shop());
        continue;
      }
      results.add(pass.run(api, progress));
    }
    return results;
  }

  public PassResult once(ShopDomain shop) {
    return pass.run(shops.get(shop));
  }
}
