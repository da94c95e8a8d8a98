package dev.ordersync.sync;

import dev.ordersync.db.Database;
import dev.ordersync.db.DatabaseException;
import dev.ordersync.orders.FailedOrders;
import dev.ordersync.orders.FetchedOrder;
import dev.ordersync.orders.OrderBatches;
import dev.ordersync.orders.StorePath;
import dev.ordersync.orders.StoredOrders;
import dev.ordersync.shopify.ShopifyException;
import dev.ordersync.shopify.ShopifyOrders;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One incremental pass for one shop: from the watermark (less the overlap) to now less the settle
 * lag, in sub-windows of at most {@code maxWindow}, each read page by page in {@code updated_at}
 * order. Orders are committed page by page; the watermark moves to a sub-window's end only in the
 * transaction that commits that sub-window's last page (invariant 3). A pass that fails or dies
 * part way leaves the watermark at the last completed sub-window, and the next pass reads the rest
 * again; the idempotent store makes the re-read harmless.
 */
public final class SyncPass {
  private static final Logger log = LoggerFactory.getLogger(SyncPass.class);
  private static final int MAX_RETRIES_PER_PASS = 250;
  private static final String ORDER_GID = "gid://shopify/Order/";

  private final Database db;
  private final OrderBatches batches;
  private final Refetch refetch;
  private final FailedOrders failed;
  private final StoredOrders storedOrders;
  private final Checkpoints checkpoints;
  private final PassLog passLog;
  private final SyncSettings settings;
  private final Clock clock;
  private final CrashPoints crashPoints;
  private final HistoryGuard history;
  private final Settled settled;

  /** Refuses a window reaching further back than the shop lets the app see (60 days). */
  @FunctionalInterface
  public interface HistoryGuard {
    HistoryGuard NONE = (shop, start, now) -> {};

    void require(String shop, Instant start, Instant now);
  }

  public SyncPass(
      Database db,
      OrderBatches batches,
      Refetch refetch,
      FailedOrders failed,
      StoredOrders storedOrders,
      Checkpoints checkpoints,
      PassLog passLog,
      SyncSettings settings,
      Clock clock,
      CrashPoints crashPoints,
      HistoryGuard history,
      Settled settled) {
    this.db = db;
    this.batches = batches;
    this.refetch = refetch;
    this.failed = failed;
    this.storedOrders = storedOrders;
    this.checkpoints = checkpoints;
    this.passLog = passLog;
    this.settings = settings;
    this.clock = clock;
    this.crashPoints = crashPoints;
    this.history = history;
    this.settled = settled;
  }

  /** The window the next pass of {@code shop} would read. */
  public Window nextWindow(String shop) {
    Instant now = clock.instant();
    Instant end = settled.end(shop);
    Instant watermark =
        checkpoints
            .get(shop, Checkpoints.ORDERS)
            .map(Checkpoints.Checkpoint::watermark)
            .orElse(Window.floorToSecond(now.minus(settings.initialLookback())));
    Instant start = Window.floorToSecond(watermark.minus(settings.overlap()));
    return new Window(start.isAfter(end) ? end : start, end);
  }

  public PassResult run(ShopifyOrders api) {
    String shop = api.shop();
    Instant startedAt = clock.instant();
    long costBefore = api.client().meter().cost();
    Window window = nextWindow(shop);
    Counters n = new Counters();
    Instant reached = window.start();
    String error = null;
    try {
      history.require(shop, window.start(), startedAt);
      retryFailed(api, n);
      for (Window sub : window.split(settings.maxWindow())) {
        readWindow(api, sub, n, true);
        reached = sub.end();
      }
      if (window.isEmpty()) {
        db.inTransaction(
            c -> {
              checkpoints.advance(c, shop, Checkpoints.ORDERS, window.end(), clock.instant());
              return null;
            });
      }
    } catch (ShopifyException | DatabaseException e) {
      error = e.getMessage();
      log.warn("{}: sync pass stopped at {}: {}", shop, reached, e.getMessage());
      checkpoints.recordFailure(
          shop, Checkpoints.ORDERS, window.start(), e.getMessage(), clock.instant());
    }
    PassResult result =
        new PassResult(
            shop,
            window.start(),
            reached,
            reached,
            n.pages,
            n.seen,
            n.written,
            n.failed,
            api.client().meter().cost() - costBefore,
            startedAt,
            clock.instant(),
            error);
    passLog.record(result);
    return result;
  }

  /**
   * Reads {@code window} of {@code updated_at} again, leaving the watermark alone: catches updates
   * that Shopify's search indexed later than the settle lag.
   */
  public PassResult reread(ShopifyOrders api, Window window) {
    String shop = api.shop();
    Instant startedAt = clock.instant();
    long costBefore = api.client().meter().cost();
    Counters n = new Counters();
    String error = null;
    try {
      for (Window sub : window.split(settings.maxWindow())) {
        readWindow(api, sub, n, false);
      }
    } catch (ShopifyException | DatabaseException e) {
      error = e.getMessage();
      log.warn("{}: re-read of {} stopped: {}", shop, window, e.getMessage());
    }
    return new PassResult(
        shop,
        window.start(),
        window.end(),
        null,
        n.pages,
        n.seen,
        n.written,
        n.failed,
        api.client().meter().cost() - costBefore,
        startedAt,
        clock.instant(),
        error);
  }

  private List<String> newerThanStored(String shop, List<ShopifyOrders.Version> listed) {
    Map<String, Instant> stored =
        storedOrders.versions(shop, listed.stream().map(ShopifyOrders.Version::id).toList());
    List<String> newer = new ArrayList<>();
    for (ShopifyOrders.Version v : listed) {
      Instant have = stored.get(v.id());
      if (have == null || v.updatedAt().isAfter(have)) {
        newer.add(v.id());
      }
    }
    return newer;
  }

  /**
   * Reads a sub-window versions first: lists each order's id and {@code updatedAt} (a point per
   * order) and fetches in full, by id, only the orders not stored at that version, so what the
   * webhooks stored costs a point, not a full read. The listed page and its fetched orders commit
   * with the watermark on the sub-window's last page (invariant 3); an order Shopify no longer
   * returns by id was deleted since it was listed, which its deletion webhook and the
   * reconciliation deal with. The sweep's re-read reads the same way, {@code movesWatermark} false.
   */
  private void readWindow(ShopifyOrders api, Window sub, Counters n, boolean movesWatermark) {
    String shop = api.shop();
    String cursor = null;
    boolean more = true;
    while (more) {
      ShopifyOrders.ListedPage<ShopifyOrders.Version> listed =
          api.versionPage(sub.search("updated_at"), cursor);
      List<String> missing = newerThanStored(shop, listed.items());
      List<FetchedOrder> fetched = missing.isEmpty() ? List.of() : api.byIds(missing);
      crashPoints.reached(CrashPoints.Step.PAGE_FETCHED);
      more = listed.hasNext() && listed.endCursor() != null;
      boolean last = !more && movesWatermark;
      // an order that cannot be mapped or stored is now tracked in failed_orders: the window
      // moves on as if it had been handled (invariant 6), and the order is retried by id
      OrderBatches.Stored stored =
          batches.store(
              fetched,
              StorePath.POLL,
              (c, result, now) -> {
                crashPoints.reached(CrashPoints.Step.PAGE_STORED);
                if (last) {
                  checkpoints.advance(c, shop, Checkpoints.ORDERS, sub.end(), now);
                  crashPoints.reached(CrashPoints.Step.WATERMARK_WRITTEN);
                }
              });
      crashPoints.reached(CrashPoints.Step.COMMITTED);
      n.pages++;
      n.seen += listed.items().size();
      n.add(stored);
      cursor = listed.endCursor();
    }
  }

  /** Fetches again, by id, the failed orders whose retry is due (invariant 6). */
  private void retryFailed(ShopifyOrders api, Counters n) {
    List<String> ids =
        failed.due(api.shop(), clock.instant(), MAX_RETRIES_PER_PASS).stream()
            .map(FailedOrders.Failure::orderKey)
            .filter(k -> k.startsWith(ORDER_GID))
            .toList();
    if (!ids.isEmpty()) {
      n.add(refetch.byIds(api, ids, StorePath.BACKFILL).batch());
    }
  }

  private static final class Counters {
    int pages;
    int seen;
    int written;
    int failed;

    void add(OrderBatches.Stored stored) {
      written += stored.written();
      failed += stored.failed().size();
    }
  }
}
