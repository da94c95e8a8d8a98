package dev.ordersync.sync;

import dev.ordersync.shopify.ShopifyOrders;
import dev.ordersync.shopify.Shops;
import java.util.ArrayList;
import java.util.List;

/** {@code sync --once} and the service's sync job: one incremental pass per shop. */
public final class Sync {
  private final SyncPass pass;
  private final Shops shops;

  public Sync(SyncPass pass, Shops shops) {
    this.pass = pass;
    this.shops = shops;
  }

  /** One pass of every shop, in turn; one shop's failure never stops the others. */
  public List<PassResult> once() {
    return once(PassProgress.NONE);
  }

  /** The same, telling {@code progress} of each page. */
  public List<PassResult> once(PassProgress progress) {
    List<PassResult> results = new ArrayList<>();
    for (ShopifyOrders api : shops.all()) {
      results.add(pass.run(api, progress));
    }
    return results;
  }

  public PassResult once(String shop) {
    return pass.run(shops.get(shop));
  }
}
