package dev.ordersync.sync;

import dev.ordersync.config.ShopDomain;
import dev.ordersync.orders.FailedOrders;
import dev.ordersync.orders.StorePath;
import dev.ordersync.shopify.ApiMeter;
import dev.ordersync.shopify.ShopifyOrders;
import dev.ordersync.shopify.Shops;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Fetches failed orders again now, by id, and stores them: what {@code orders retry} and the
 * dashboard's retry button do. A failure kept without an order id (a payload that had none) cannot
 * be fetched.
 */
public final class FailedOrderRetry {
  public static final String ORDER_GID = "gid://shopify/Order/";

  /** Ids fetched per request and progress report. */
  static final int CHUNK = 50;

  private final Shops shops;
  private final FailedOrders failedOrders;
  private final Refetch refetch;
  private final Clock clock;

  public FailedOrderRetry(Shops shops, FailedOrders failedOrders, Refetch refetch, Clock clock) {
    this.shops = shops;
    this.failedOrders = failedOrders;
    this.refetch = refetch;
    this.clock = clock;
  }

  /** How a retry of many orders goes: what {@code orders retry} draws on standard error. */
  public record Progress(
      ShopDomain shop,
      int done,
      int of,
      int stored,
      int notStored,
      long apiPoints,
      Duration waited,
      Duration elapsed) {
    public String line() {
      StringBuilder b =
          new StringBuilder(
              String.format(
                  "%s: retry: %,d of %,d order(s), %,d stored, %,d not stored, %,d API points, "
                      + "%,d s waiting for the rate limit, %,d s",
                  shop,
                  done,
                  of,
                  stored,
                  notStored,
                  apiPoints,
                  waited.toSeconds(),
                  elapsed.toSeconds()));
      if (done > 0 && done < of) {
        b.append(
            String.format(", ETA %,d s", elapsed.toSeconds() * (of - done) / Math.max(1, done)));
      }
      return b.toString();
    }
  }

  /** What became of each id: stored, failed again (with the reason), or not at Shopify. */
  public record Retried(List<String> stored, Map<String, String> failed, List<String> notFound) {
    public int notStored() {
      return failed.size() + notFound.size();
    }
  }

  /** The open failure of this shop kept under this key (an order GID, or a payload digest). */
  public Optional<FailedOrders.Failure> open(ShopDomain shop, String orderKey) {
    return failedOrders.open(shop.value()).stream()
        .filter(f -> f.orderKey().equals(orderKey))
        .findFirst();
  }

  /**
   * Fetches these orders of a configured shop and stores them, {@link #CHUNK} at a time, telling
   * {@code progress} after each.
   */
  public Retried retry(
      ShopDomain shop, List<String> orderGids, java.util.function.Consumer<Progress> progress) {
    ShopifyOrders api = shops.get(shop);
    ApiMeter meter = api.client().meter();
    long costBefore = meter.cost();
    long waitedBefore = meter.waitedMillis();
    Instant started = clock.instant();
    List<String> stored = new ArrayList<>();
    Map<String, String> failed = new LinkedHashMap<>();
    List<String> notFound = new ArrayList<>();
    for (int i = 0; i < orderGids.size(); i += CHUNK) {
      Refetch.Result last =
          refetch.byIds(
              api, orderGids.subList(i, Math.min(orderGids.size(), i + CHUNK)), StorePath.BACKFILL);
      stored.addAll(last.stored());
      failed.putAll(last.failed());
      notFound.addAll(last.notFound());
      progress.accept(
          new Progress(
              shop,
              Math.min(orderGids.size(), i + CHUNK),
              orderGids.size(),
              stored.size(),
              failed.size() + notFound.size(),
              meter.cost() - costBefore,
              Duration.ofMillis(meter.waitedMillis() - waitedBefore),
              Duration.between(started, clock.instant())));
    }
    return new Retried(stored, failed, notFound);
  }
}
