package dev.ordersync.sync;

import dev.ordersync.config.ShopDomain;
import dev.ordersync.db.DatabaseException;
import dev.ordersync.orders.StorePath;
import dev.ordersync.shopify.ShopifyException;
import dev.ordersync.shopify.ShopifyOrders;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Imports every order created in a window ({@code order-sync backfill}): through a bulk query
 * operation, resumed when an earlier backfill of the same window died; by pages, versions first,
 * when the operation cannot give every order. The watermark is not touched: the poll's windows go
 * by {@code updated_at}, a backfill's by {@code created_at}.
 */
public final class Backfill {
  private static final Logger log = LoggerFactory.getLogger(Backfill.class);
  private static final String CREATED_AT = "created_at";

  private final BulkWindowImport bulk;
  private final WindowReader reader;
  private final Clock clock;

  public Backfill(BulkWindowImport bulk, WindowReader reader, Clock clock) {
    this.bulk = bulk;
    this.reader = reader;
    this.clock = clock;
  }

  /**
   * @param method "bulk", "pages" or "bulk, then pages"
   * @param fellBackBecause why the bulk operation did not do the window (null when it did)
   * @param error why the backfill stopped (null when the window is done)
   */
  public record Result(
      ShopDomain shop,
      Window window,
      String method,
      long orders,
      int written,
      int failed,
      String fellBackBecause,
      long apiCost,
      Duration took,
      String error) {
    public boolean ok() {
      return error == null;
    }
  }

  public Result run(ShopifyOrders api, Window window, BulkWindowImport.Progress progress) {
    ShopDomain shop = api.shop();
    Instant began = clock.instant();
    long costBefore = api.client().meter().cost();
    long orders = 0;
    int written = 0;
    int failed = 0;
    String method = "bulk";
    String fellBack = null;
    String error = null;
    try {
      BulkWindowImport.Result r =
          bulk.importWindow(api.bulk(), window, CREATED_AT, StorePath.BACKFILL, null, progress);
      orders = r.orders();
      written += r.written();
      failed += r.failed();
      if (!r.done()) {
        fellBack = r.why();
        method = "bulk, then pages";
        log.warn("{}: backfill of {} reads by pages: {}", shop, window, r.why());
        WindowReader.Read read = reader.read(api, window, CREATED_AT, StorePath.BACKFILL, null);
        orders = read.seen();
        written += read.written();
        failed += read.failed();
      }
    } catch (ShopifyException | DatabaseException e) {
      error = e.getMessage();
    }
    return new Result(
        shop,
        window,
        method,
        orders,
        written,
        failed,
        fellBack,
        api.client().meter().cost() - costBefore,
        Duration.between(began, clock.instant()),
        error);
  }
}
