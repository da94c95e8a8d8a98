package dev.ordersync;

import dev.ordersync.config.AppConfig;
import dev.ordersync.config.ShopDomain;
import dev.ordersync.db.Database;
import dev.ordersync.shopify.Shops;
import dev.ordersync.sync.Backfill;
import dev.ordersync.sync.BulkImports;
import dev.ordersync.sync.BulkWindowImport;
import dev.ordersync.sync.Checkpoints;
import dev.ordersync.sync.FailedOrderRetry;
import dev.ordersync.sync.PassLog;
import dev.ordersync.sync.PassProgress;
import dev.ordersync.sync.PassResult;
import dev.ordersync.sync.Refetch;
import dev.ordersync.sync.Settled;
import dev.ordersync.sync.Sync;
import dev.ordersync.sync.SyncPass;
import dev.ordersync.sync.WindowReader;
import java.util.List;

/**
 * Importing orders: the pass over each shop's gap-free windows from its checkpoint, the backfill of
 * a date range, and the retry of orders that could not be stored.
 */
public final class SyncFeature {
  private final Checkpoints checkpoints;
  private final PassLog passLog;
  private final Refetch refetch;
  private final FailedOrderRetry failedOrderRetry;
  private final Settled settled;
  private final BulkWindowImport bulkWindowImport;
  private final Backfill backfill;
  private final SyncPass pass;
  private final Sync sync;

  SyncFeature(
      AppConfig config,
      Database db,
      AppOptions options,
      OrdersFeature orders,
      ShopsFeature shops,
      WebhooksFeature webhooks) {
    Shops apis = shops.apis();
    this.checkpoints = new Checkpoints(db);
    this.passLog = new PassLog(db);
    this.refetch = new Refetch(orders.batches());
    this.failedOrderRetry = new FailedOrderRetry(apis, orders.failed(), refetch, options.clock());
    this.settled =
        new Settled(
            config.sync().settleLag(),
            config.sync().webhookGrace(),
            webhooks.inbox()::lastReceivedAt,
            options.clock());
    this.bulkWindowImport =
        new BulkWindowImport(
            orders.batches(),
            new BulkImports(db),
            options.clock(),
            options.sleeper(),
            options.crashPoints());
    WindowReader windowReader =
        new WindowReader(orders.batches(), orders.stored(), options.crashPoints());
    this.backfill = new Backfill(bulkWindowImport, windowReader, options.clock());
    this.pass =
        new SyncPass(
            db,
            windowReader,
            bulkWindowImport,
            refetch,
            orders.failed(),
            checkpoints,
            passLog,
            config.sync(),
            options.clock(),
            options.crashPoints(),
            (shop, start, now) -> apis.admin(shop).requireHistorySince(start, now),
            settled);
    this.sync = new Sync(pass, apis, shops.states()::active);
  }

  /** One pass over every active shop. */
  public List<PassResult> once() {
    return sync.once();
  }

  public List<PassResult> once(PassProgress progress) {
    return sync.once(progress);
  }

  /** One pass over one shop. */
  public PassResult once(ShopDomain shop) {
    return sync.once(shop);
  }

  public Backfill backfill() {
    return backfill;
  }

  public Checkpoints checkpoints() {
    return checkpoints;
  }

  public PassLog passLog() {
    return passLog;
  }

  public Refetch refetch() {
    return refetch;
  }

  public FailedOrderRetry failedOrderRetry() {
    return failedOrderRetry;
  }

  /** Up to when a shop's orders are settled (what the pass and the checks may read up to). */
  Settled settled() {
    return settled;
  }

  SyncPass pass() {
    return pass;
  }

  BulkWindowImport bulkWindowImport() {
    return bulkWindowImport;
  }

  Sync passes() {
    return sync;
  }
}
