package dev.ordersync.reconcile;

import dev.ordersync.shopify.ShopifyOrders;
import dev.ordersync.shopify.Shops;
import dev.ordersync.sync.Checkpoints;
import dev.ordersync.sync.PassResult;
import dev.ordersync.sync.Settled;
import dev.ordersync.sync.SyncPass;
import dev.ordersync.sync.Window;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The sweep, every few minutes: compares the orders created in the last hours of every shop, up to
 * where the poll has read, with Shopify and imports the missing; then reads the last two sweep
 * intervals of updates again, for updates Shopify's search showed later than the settle lag (up to
 * one interval late).
 */
public final class Sweep {
  private final Reconciler reconciler;
  private final SyncPass pass;
  private final Shops shops;
  private final Settled settled;
  private final Checkpoints checkpoints;
  private final Duration lookback;
  private final Duration interval;

  public Sweep(
      Reconciler reconciler,
      SyncPass pass,
      Shops shops,
      Settled settled,
      Checkpoints checkpoints,
      Duration lookback,
      Duration interval) {
    this.reconciler = reconciler;
    this.pass = pass;
    this.shops = shops;
    this.settled = settled;
    this.checkpoints = checkpoints;
    this.lookback = lookback;
    this.interval = interval;
  }

  public List<ReconcileReport> run() {
    List<ReconcileReport> out = new ArrayList<>();
    for (ShopifyOrders api : shops.all()) {
      out.add(run(api));
    }
    return out;
  }

  /** How far back the check after each pass looks, from the pass's watermark. */
  static final Duration CHECK_LOOKBACK = Duration.ofHours(1);

  /**
   * After a successful pass: the orders created in the hour before its watermark, counted at
   * Shopify and here (one count when they agree, the reconciliation's narrowing when not). An order
   * that both its webhook and the poll missed (indexed later than the poll's overlap) is stored at
   * the next pass after Shopify indexes it, minutes later, not at the next sweep.
   */
  public void checkAfter(PassResult pass) {
    if (pass == null || !pass.ok() || pass.watermark() == null) {
      return;
    }
    ShopifyOrders api = shops.find(pass.shop());
    if (api != null) {
      reconciler.check(api, new Window(pass.watermark().minus(CHECK_LOOKBACK), pass.watermark()));
    }
  }

  /** One shop's sweep: the service runs each shop's as a job of its own. */
  public ReconcileReport run(String shop) {
    return run(shops.get(shop));
  }

  private ReconcileReport run(ShopifyOrders api) {
    Instant end = end(api.shop(), settled.end(api.shop()));
    Window created = new Window(end.minus(lookback), end);
    Window updated = new Window(end.minus(interval.multipliedBy(2)), end);
    ReconcileReport report =
        reconciler.reconcile(api, created, ReconcileReport.Kind.SWEEP, null, false);
    pass.reread(api, updated);
    return report;
  }

  /**
   * Where the sweep's windows end: at the poll's watermark while the poll keeps up (within one
   * sweep interval of the settled end), since the orders past it are the next pass's to read, not
   * missing or late; sweeping them too imported them ahead of the pass and reported them as
   * repaired at every sweep. A poll that has fallen further behind (stuck, or failing) leaves the
   * sweep to cover everything up to the settled end, as a second path.
   */
  private Instant end(String shop, Instant settledEnd) {
    return checkpoints
        .get(shop, Checkpoints.ORDERS)
        .map(Checkpoints.Checkpoint::watermark)
        .filter(w -> w.isBefore(settledEnd) && !w.isBefore(settledEnd.minus(interval)))
        .orElse(settledEnd);
  }
}
