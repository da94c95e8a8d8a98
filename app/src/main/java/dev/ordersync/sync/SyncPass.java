package dev.ordersync.sync;

import dev.ordersync.db.Database;
import dev.ordersync.db.DatabaseException;
import dev.ordersync.orders.FailedOrders;
import dev.ordersync.orders.Order;
import dev.ordersync.orders.OrderStore;
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
 * order. Orders are committed page by page; the watermark moves to a sub-window's end only in
 * the transaction that commits that sub-window's last page (invariant 3). A pass that fails or
 * dies part way leaves the watermark at the last completed sub-window, and the next pass reads
 * the rest again; the idempotent store makes the re-read harmless.
 */
public final class SyncPass {
  private static final Logger log = LoggerFactory.getLogger(SyncPass.class);
  private static final int MAX_RETRIES_PER_PASS = 250;

  private final Database db;
  private final OrderStore store;
  private final FailedOrders failed;
  private final StoredOrders storedOrders;
  private final Checkpoints checkpoints;
  private final PassLog passLog;
  private final SyncSettings settings;
  private final Clock clock;
  private final CrashPoints crashPoints;

  public SyncPass(Database db, OrderStore store, FailedOrders failed, StoredOrders storedOrders,
      Checkpoints checkpoints, PassLog passLog, SyncSettings settings, Clock clock,
      CrashPoints crashPoints) {
    this.db = db;
    this.store = store;
    this.failed = failed;
    this.storedOrders = storedOrders;
    this.checkpoints = checkpoints;
    this.passLog = passLog;
    this.settings = settings;
    this.clock = clock;
    this.crashPoints = crashPoints;
  }

  /** The window the next pass of {@code shop} would read. */
  public Window nextWindow(String shop) {
    Instant now = clock.instant();
    Instant end = Window.floorToSecond(now.minus(settings.settleLag()));
    Instant watermark = checkpoints.get(shop, Checkpoints.ORDERS)
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
      retryFailed(api, n);
      for (Window sub : window.split(settings.maxWindow())) {
        readWindow(api, sub, n);
        reached = sub.end();
      }
      if (window.isEmpty()) {
        db.inTransaction(c -> {
          checkpoints.advance(c, shop, Checkpoints.ORDERS, window.end(), clock.instant());
          return null;
        });
      }
    } catch (ShopifyException | DatabaseException e) {
      error = e.getMessage();
      log.warn("{}: sync pass stopped at {}: {}", shop, reached, e.getMessage());
      checkpoints.recordFailure(shop, Checkpoints.ORDERS, window.start(), e.getMessage(),
          clock.instant());
    }
    PassResult result = new PassResult(shop, window.start(), reached, reached, n.pages, n.seen,
        n.written, n.failed, api.client().meter().cost() - costBefore, startedAt, clock.instant(),
        error);
    passLog.record(result);
    return result;
  }

  /**
   * Reads {@code window} of {@code updated_at} again, leaving the watermark alone: catches
   * updates that Shopify's search indexed later than the settle lag. Lists only each order's id
   * and {@code updatedAt} (a point per order, not thirty) and fetches by id the orders whose
   * listed version is newer than the stored one.
   */
  public PassResult reread(ShopifyOrders api, Window window) {
    String shop = api.shop();
    Instant startedAt = clock.instant();
    long costBefore = api.client().meter().cost();
    Counters n = new Counters();
    String error = null;
    try {
      for (Window sub : window.split(settings.maxWindow())) {
        String cursor = null;
        boolean more = true;
        while (more) {
          ShopifyOrders.ListedPage<ShopifyOrders.Version> page =
              api.versionPage(sub.search("updated_at"), cursor);
          n.pages++;
          n.seen += page.items().size();
          storeFetched(shop, api.byIds(newerThanStored(shop, page.items())), StorePath.POLL,
              n);
          cursor = page.endCursor();
          more = page.hasNext() && cursor != null;
        }
      }
    } catch (ShopifyException | DatabaseException e) {
      error = e.getMessage();
      log.warn("{}: re-read of {} stopped: {}", shop, window, e.getMessage());
    }
    return new PassResult(shop, window.start(), window.end(), null, n.pages, n.seen, n.written,
        n.failed, api.client().meter().cost() - costBefore, startedAt, clock.instant(), error);
  }

  private List<String> newerThanStored(String shop, List<ShopifyOrders.Version> listed) {
    Map<String, Instant> stored = storedOrders.versions(shop,
        listed.stream().map(ShopifyOrders.Version::id).toList());
    List<String> newer = new ArrayList<>();
    for (ShopifyOrders.Version v : listed) {
      Instant have = stored.get(v.id());
      if (have == null || v.updatedAt().isAfter(have)) {
        newer.add(v.id());
      }
    }
    return newer;
  }

  private void readWindow(ShopifyOrders api, Window sub, Counters n) {
    String shop = api.shop();
    String cursor = null;
    boolean more = true;
    while (more) {
      ShopifyOrders.OrderPage page = api.ordersPage(sub.search("updated_at"), "UPDATED_AT",
          cursor);
      crashPoints.reached(CrashPoints.Step.PAGE_FETCHED);
      more = page.hasNext() && page.endCursor() != null;
      boolean last = !more;
      List<Order> good = new ArrayList<>();
      List<ShopifyOrders.Fetched> bad = new ArrayList<>();
      for (ShopifyOrders.Fetched f : page.orders()) {
        if (f.ok()) {
          good.add(f.order());
        } else {
          bad.add(f);
        }
      }
      OrderStore.Outcome outcome = db.inTransaction(c -> {
        Instant now = clock.instant();
        OrderStore.Outcome o = store.store(c, good, StorePath.POLL, now);
        for (ShopifyOrders.Fetched f : bad) {
          failed.record(c, shop, f.id(), StorePath.POLL, f.raw(), f.error(), now);
        }
        failed.resolve(c, shop, good.stream().map(Order::id).toList(), now);
        crashPoints.reached(CrashPoints.Step.PAGE_STORED);
        if (last) {
          checkpoints.advance(c, shop, Checkpoints.ORDERS, sub.end(), now);
          crashPoints.reached(CrashPoints.Step.WATERMARK_WRITTEN);
        }
        return o;
      });
      crashPoints.reached(CrashPoints.Step.COMMITTED);
      n.pages++;
      n.seen += page.orders().size();
      n.written += outcome.written();
      n.failed += bad.size();
      for (ShopifyOrders.Fetched f : bad) {
        log.warn("{}: order {} kept in failed_orders: {}", shop, f.id(), f.error());
      }
      cursor = page.endCursor();
    }
  }

  /** Fetches again, by id, the orders that could not be mapped before (invariant 6). */
  private void retryFailed(ShopifyOrders api, Counters n) {
    List<String> ids = failed.open(api.shop()).stream()
        .map(FailedOrders.Failure::orderKey)
        .filter(k -> k.startsWith("gid://shopify/Order/"))
        .limit(MAX_RETRIES_PER_PASS)
        .toList();
    if (ids.isEmpty()) {
      return;
    }
    storeFetched(api.shop(), api.byIds(ids), StorePath.BACKFILL, n);
  }

  /** Stores orders fetched by id; those that cannot be mapped go to (or stay in) failed_orders. */
  private void storeFetched(String shop, List<ShopifyOrders.Fetched> fetched, StorePath path,
      Counters n) {
    if (fetched.isEmpty()) {
      return;
    }
    List<Order> good = new ArrayList<>();
    List<ShopifyOrders.Fetched> bad = new ArrayList<>();
    for (ShopifyOrders.Fetched f : fetched) {
      if (f.ok()) {
        good.add(f.order());
      } else {
        bad.add(f);
      }
    }
    n.written += db.inTransaction(c -> {
      Instant now = clock.instant();
      for (ShopifyOrders.Fetched f : bad) {
        failed.record(c, shop, f.id(), path, f.raw(), f.error(), now);
      }
      failed.resolve(c, shop, good.stream().map(Order::id).toList(), now);
      return store.store(c, good, path, now).written();
    });
    n.failed += bad.size();
  }

  private static final class Counters {
    int pages;
    int seen;
    int written;
    int failed;
  }
}
