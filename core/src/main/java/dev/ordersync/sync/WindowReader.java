package dev.ordersync.sync;

import dev.ordersync.config.ShopDomain;
import dev.ordersync.orders.FetchedOrder;
import dev.ordersync.orders.OrderBatches;
import dev.ordersync.orders.StorePath;
import dev.ordersync.orders.StoredOrders;
import dev.ordersync.shopify.ShopifyOrders;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads a window page by page, versions first: lists each order's id and {@code updatedAt} (a point
 * per order) and fetches in full, by id, only the orders not stored at that version, so what the
 * webhooks stored costs a point, not a full read. An order Shopify no longer returns by id was
 * deleted since it was listed, which its deletion webhook and the reconciliation deal with.
 */
public final class WindowReader {
  private final OrderBatches batches;
  private final StoredOrders storedOrders;
  private final CrashPoints crashPoints;

  public WindowReader(OrderBatches batches, StoredOrders storedOrders, CrashPoints crashPoints) {
    this.batches = batches;
    this.storedOrders = storedOrders;
    this.crashPoints = crashPoints;
  }

  /** What a read came across: pages, orders listed, versions written, orders that failed. */
  public record Read(int pages, int seen, int written, int failed) {
    public static final Read NOTHING = new Read(0, 0, 0, 0);

    /** One page: {@code listed} orders, of which {@code stored} wrote and set aside some. */
    static Read page(int listed, OrderBatches.Stored stored) {
      return new Read(1, listed, stored.written(), stored.failed().size());
    }

    public Read plus(Read more) {
      return new Read(
          pages + more.pages, seen + more.seen, written + more.written, failed + more.failed);
    }
  }

  /** Told of each page once it is committed: for a progress line. */
  @FunctionalInterface
  public interface PageDone {
    PageDone NONE = (read, lastListed) -> {};

    /**
     * @param page what this page came across
     * @param lastListed the {@code updatedAt} of the page's last order (null for an empty page)
     */
    void done(Read page, Instant lastListed);
  }

  public Read read(
      ShopifyOrders api,
      Window window,
      String field,
      StorePath path,
      OrderBatches.AlsoInTransaction onLastPage) {
    return read(api, window, field, path, onLastPage, PageDone.NONE);
  }

  /**
   * Reads {@code window} of {@code field}; {@code onLastPage} (may be null) runs in the transaction
   * that commits the last page, which is where a watermark moves (invariant 3).
   */
  public Read read(
      ShopifyOrders api,
      Window window,
      String field,
      StorePath path,
      OrderBatches.AlsoInTransaction onLastPage,
      PageDone pageDone) {
    ShopDomain shop = api.shop();
    Read read = Read.NOTHING;
    String cursor = null;
    boolean more = true;
    while (more) {
      ShopifyOrders.ListedPage<ShopifyOrders.Version> listed =
          api.versionPage(window.search(field), cursor);
      List<String> missing = newerThanStored(shop, listed.items());
      List<FetchedOrder> fetched = missing.isEmpty() ? List.of() : api.byIds(missing);
      crashPoints.reached(CrashPoints.Step.PAGE_FETCHED);
      more = listed.hasNext() && listed.endCursor() != null;
      boolean last = !more;
      // an order that cannot be mapped or stored is now tracked in failed_orders: the window
      // moves on as if it had been handled (invariant 6), and the order is retried by id
      OrderBatches.Stored stored =
          batches.store(
              fetched,
              path,
              (c, result, now) -> {
                crashPoints.reached(CrashPoints.Step.PAGE_STORED);
                if (last && onLastPage != null) {
                  onLastPage.run(c, result, now);
                }
              });
      crashPoints.reached(CrashPoints.Step.COMMITTED);
      Read page = Read.page(listed.items().size(), stored);
      read = read.plus(page);
      cursor = listed.endCursor();
      List<ShopifyOrders.Version> items = listed.items();
      pageDone.done(page, items.isEmpty() ? null : items.get(items.size() - 1).updatedAt());
    }
    return read;
  }

  private List<String> newerThanStored(ShopDomain shop, List<ShopifyOrders.Version> listed) {
    Map<String, Instant> stored =
        storedOrders.versions(
            shop.value(), listed.stream().map(ShopifyOrders.Version::id).toList());
    List<String> newer = new ArrayList<>();
    for (ShopifyOrders.Version v : listed) {
      Instant have = stored.get(v.id());
      if (have == null || v.updatedAt().isAfter(have)) {
        newer.add(v.id());
      }
    }
    return newer;
  }
}
