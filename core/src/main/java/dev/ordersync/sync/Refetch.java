package dev.ordersync.sync;

import dev.ordersync.orders.FetchedOrder;
import dev.ordersync.orders.OrderBatches;
import dev.ordersync.orders.StorePath;
import dev.ordersync.shopify.ShopifyOrders;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Fetches orders by id from Shopify ({@code nodes}, which search does not delay) and stores them.
 */
public final class Refetch {
  private final OrderBatches batches;

  public Refetch(OrderBatches batches) {
    this.batches = batches;
  }

  /**
   * What became of each id: stored, kept in failed_orders (with the reason), or not returned by
   * Shopify (deleted there, or never an order of this shop).
   */
  public record Result(
      List<String> stored,
      Map<String, String> failed,
      List<String> notFound,
      OrderBatches.Stored batch) {}

  public Result byIds(ShopifyOrders api, List<String> ids, StorePath path) {
    List<FetchedOrder> fetched = ids.isEmpty() ? List.of() : api.byIds(ids);
    OrderBatches.Stored stored = batches.store(fetched, path);
    Set<String> returned = fetched.stream().map(FetchedOrder::id).collect(Collectors.toSet());
    Map<String, String> failed = new LinkedHashMap<>();
    for (FetchedOrder f : stored.failed()) {
      failed.put(f.id(), f.error());
    }
    List<String> ok = new ArrayList<>();
    List<String> notFound = new ArrayList<>();
    for (String id : ids) {
      if (!returned.contains(id)) {
        notFound.add(id);
      } else if (!failed.containsKey(id)) {
        ok.add(id);
      }
    }
    return new Result(ok, failed, notFound, stored);
  }
}
