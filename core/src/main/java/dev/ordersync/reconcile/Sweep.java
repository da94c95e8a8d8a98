package dev.ordersync.reconcile;

import dev.ordersync.config.ShopDomain;
import dev.ordersync.shopify.ShopifyOrders;
import dev.ordersync.shopify.Shops;
import dev.ordersync.sync.Checkpoints;
import dev.ordersync.sync.PassResult;
import dev.ordersync.sync.Settled;
import dev.ordersync.sync.SyncPass;
import dev.ordersync.sync.Window;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The sweep, every few minutes: compares the orders created in the last hours of every shop, up to
 * where the poll has read, with Shopify and imports the missing. After each pass, and at each
 * sweep, the re-read: the updates of the time since the last re-read that is now {@link
 * #REREAD_AFTER} old are read again, once, for updates Shopify's search showed later than the
 * settle lag (up to that late).
 */
public final class Sweep {
  private final Reconciler reconciler;
  private final SyncPass pass;
  private final Shops shops;
  private final Settled settled;
  private final Checkpoints checkpoints;
  private final Duration lookback;
  private final Duration interval;
  private final Clock clock;

  public Sweep(
      Reconciler reconciler,
      SyncPass pass,
      Shops shops,
      Settled settled,
      Checkpoints checkpoints,
      Duration lookback,
      Duration interval,
      Clock clock) {
    this.reconciler = reconciler;
    this.pass = pass;
    this.shops = shops;
    this.settled = settled;
    this.checkpoints = checkpoints;
    this.lookback = lookback;
    this.interval = interval;
    this.clock = clock;
  }

  public List<ReconcileReport> run() {
    List<ReconcileReport> out = new ArrayList<>();
    for (ShopifyOrders api : shops.all()) {
      out.add(run(api));
    }
    return out;
  }

  /**
   * How late an update may show in Shopify's search and still be read by the re-read (what {@code
   * RereadTest} proves, with updates indexed up to 14 minutes late): the re-read reads each instant
   * once, this long after it, however often the sweep runs.
   */
  static final Duration REREAD_AFTER = Duration.ofMinutes(15);

  /** How far back the check after each pass looks, from the pass's watermark. */
  static final Duration CHECK_LOOKBACK = Duration.ofHours(1);

  /**
   * After a successful pass: the orders created in the hour before its watermark, counted at
   * Shopify and here (one count when they agree, the reconciliation's narrowing when not). An order
   * that both its webhook and the poll missed (indexed later than the poll's settle lag) is stored
   * at the next pass after Shopify indexes it, minutes later, not at the next sweep.
   */
  public void checkAfter(PassResult pass) {
    if (pass == null || !pass.ok() || pass.watermark() == null) {
      return;
    }
    ShopifyOrders api = shops.find(ShopDomain.of(pass.shop()));
    if (api != null) {
      reconciler.check(api, new Window(pass.watermark().minus(CHECK_LOOKBACK), pass.watermark()));
      reread(api, pass.watermark(), settled.end(api.shop()));
    }
  }

  /** One shop's sweep: the service runs each shop's as a job of its own. */
  public ReconcileReport run(ShopDomain shop) {
    return run(shops.get(shop));
  }

  private ReconcileReport run(ShopifyOrders api) {
    Instant settledEnd = settled.end(api.shop());
    Instant end = end(api.shop(), settledEnd);
    Window created = new Window(end.minus(lookback), end);
    ReconcileReport report =
        reconciler.reconcile(api, created, ReconcileReport.Kind.SWEEP, null, false);
    reread(api.canWait(), end, settledEnd);
    return report;
  }

  /**
   * Reads the updates again from where the last re-read ended up to what is now {@link
   * #REREAD_AFTER} old (and no further than {@code readUpTo}, where the poll has read), then moves
   * the re-read's mark there: each instant is re-read once, at least that long after it, so an
   * update Shopify's search shows up to that late is read (docs/invariants.md). After a stop it
   * goes back at most the sweep's lookback; the first re-read of a shop, twice that (what the poll
   * read before there was a mark). Returns the window read, or null when there was nothing to read.
   */
  Window reread(ShopifyOrders api, Instant readUpTo, Instant settledEnd) {
    ShopDomain shop = api.shop();
    Instant aged = settledEnd.minus(REREAD_AFTER);
    Instant until = Window.floorToSecond(readUpTo.isBefore(aged) ? readUpTo : aged);
    Instant from =
        checkpoints
            .get(shop, Checkpoints.REREAD)
            .map(Checkpoints.Checkpoint::watermark)
            .map(mark -> latest(mark, until.minus(lookback)))
            .orElse(until.minus(REREAD_AFTER.multipliedBy(2)));
    if (!from.isBefore(until)) {
      return null;
    }
    Window window = new Window(from, until);
    if (pass.reread(api, window).ok()) {
      checkpoints.advance(shop, Checkpoints.REREAD, until, clock.instant());
    }
    return window;
  }

  private static Instant latest(Instant a, Instant b) {
    return a.isAfter(b) ? a : b;
  }

  /**
   * Where the sweep's windows end: at the poll's watermark while the poll keeps up (within one
   * sweep interval of the settled end), since the orders past it are the next pass's to read, not
   * missing or late; sweeping them too imported them ahead of the pass and reported them as
   * repaired at every sweep. A poll that has fallen further behind (stuck, or failing) leaves the
   * sweep to cover everything up to the settled end, as a second path.
   */
  private Instant end(ShopDomain shop, Instant settledEnd) {
    return checkpoints
        .get(shop, Checkpoints.ORDERS)
        .map(Checkpoints.Checkpoint::watermark)
        .filter(w -> w.isBefore(settledEnd) && !w.isBefore(settledEnd.minus(interval)))
        .orElse(settledEnd);
  }
}
