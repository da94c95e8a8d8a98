package dev.ordersync.sync;

import dev.ordersync.config.ShopDomain;
import dev.ordersync.config.SyncSettings;
import dev.ordersync.db.Database;
import dev.ordersync.db.DatabaseException;
import dev.ordersync.orders.FailedOrders;
import dev.ordersync.orders.StorePath;
import dev.ordersync.shopify.ShopifyException;
import dev.ordersync.shopify.ShopifyOrders;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

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

  /** A window at least this long may be a backlog: its orders are counted to choose bulk. */
  static final Duration BACKLOG_WINDOW = Duration.ofMinutes(15);

  private static final String UPDATED_AT = "updated_at";

  private final Database db;
  private final WindowReader reader;
  private final BulkWindowImport bulk;
  private final Refetch refetch;
  private final FailedOrders failed;
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

    void require(ShopDomain shop, Instant start, Instant now);
  }

  public SyncPass(
      Database db,
      WindowReader reader,
      BulkWindowImport bulk,
      Refetch refetch,
      FailedOrders failed,
      Checkpoints checkpoints,
      PassLog passLog,
      SyncSettings settings,
      Clock clock,
      CrashPoints crashPoints,
      HistoryGuard history,
      Settled settled) {
    this.db = db;
    this.reader = reader;
    this.bulk = bulk;
    this.refetch = refetch;
    this.failed = failed;
    this.checkpoints = checkpoints;
    this.passLog = passLog;
    this.settings = settings;
    this.clock = clock;
    this.crashPoints = crashPoints;
    this.history = history;
    this.settled = settled;
  }

  /** The window the next pass of {@code shop} would read. */
  public Window nextWindow(ShopDomain shop) {
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
    return run(api, PassProgress.NONE);
  }

  public PassResult run(ShopifyOrders api, PassProgress progress) {
    ShopDomain shop = api.shop();
    Instant startedAt = clock.instant();
    long costBefore = api.client().meter().cost();
    Window window = nextWindow(shop);
    int failingBefore =
        checkpoints
            .get(shop, Checkpoints.ORDERS)
            .map(Checkpoints.Checkpoint::consecutiveFailures)
            .orElse(0);
    Counters n = new Counters();
    long waitedBefore = api.client().meter().waitedMillis();
    n.afterPage =
        lastListed ->
            progress.update(
                new PassProgress.Snapshot(
                    shop.value(),
                    window,
                    n.total.pages(),
                    n.total.seen(),
                    n.total.written(),
                    api.client().meter().cost() - costBefore,
                    Duration.ofMillis(api.client().meter().waitedMillis() - waitedBefore),
                    Duration.between(startedAt, clock.instant()),
                    lastListed == null || window.isEmpty()
                        ? 0
                        : (double) Duration.between(window.start(), lastListed).toSeconds()
                            / window.length().toSeconds()));
    Instant reached = window.start();
    String error = null;
    boolean stopped = false;
    try {
      history.require(shop, window.start(), startedAt);
      Window rest = window;
      Optional<Window> kept = bulk.unfinished(shop, UPDATED_AT, window.start());
      if (kept.isPresent()
          && (kept.get().end().isAfter(window.end())
              || kept.get().end().isBefore(window.start()))) {
        bulk.abandon(shop, UPDATED_AT, window.start());
        kept = Optional.empty();
      }
      if (kept.isPresent()) {
        // an operation a pass that died had started (its window may begin earlier: harmless):
        // its results are read, not asked for again
        readInBulk(api, kept.get(), n);
        reached = kept.get().end();
        rest = new Window(kept.get().end(), window.end());
      } else if (isBacklog(api, window)) {
        readInBulk(api, window, n);
        reached = window.end();
        rest = new Window(window.end(), window.end());
      }
      for (Window sub : rest.split(settings.maxWindow())) {
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
    } catch (ShopifyException.Stopped e) {
      // not a failure: the service is stopping; what was read is committed, the next start
      // goes on from the watermark
      stopped = true;
      error = "stopped by the service's shutdown at " + reached;
      log.info("{}: sync pass stopped by the shutdown at {}", shop, reached);
    } catch (ShopifyException | DatabaseException e) {
      error = e.getMessage();
      log.warn("{}: sync pass stopped at {}: {}", shop, reached, e.getMessage());
    } catch (RuntimeException e) {
      // not a failure we know: still recorded, counted and alerted like any other
      error = "unexpected " + e.getClass().getSimpleName() + ": " + e.getMessage();
      log.error("{}: sync pass stopped at {} by an unexpected failure", shop, reached, e);
    }
    if (error == null) {
      // after the window, and apart from it: a failure here never holds up the poll
      error = retryFailed(api, n);
    }
    if (error != null && !stopped) {
      recordFailure(shop, window, error);
    }
    PassResult result =
        new PassResult(
            shop.value(),
            window.start(),
            reached,
            reached,
            n.total.pages(),
            n.total.seen(),
            n.total.written(),
            n.total.failed(),
            api.client().meter().cost() - costBefore,
            startedAt,
            clock.instant(),
            error);
    passLog.record(result);
    if (result.ok()) {
      // a quiet shop's pass every few minutes would be most of the log; the pass log keeps it
      log.atLevel(result.ordersSeen() == 0 ? Level.DEBUG : Level.INFO)
          .log(
              "{}: pass {} to {}: listed {}, written {}, failed {}, {} API points, {} s",
              shop,
              result.windowStart(),
              result.windowEnd(),
              result.ordersSeen(),
              result.ordersWritten(),
              result.ordersFailed(),
              result.apiCost(),
              Duration.between(startedAt, result.finishedAt()).toSeconds());
      if (failingBefore > 0) {
        log.info("{}: passes succeed again, after {} failed in a row", shop, failingBefore);
      }
    }
    return result;
  }

  /**
   * Reads {@code window} of {@code updated_at} again, leaving the watermark alone: catches updates
   * that Shopify's search indexed later than the settle lag.
   */
  public PassResult reread(ShopifyOrders api, Window window) {
    ShopDomain shop = api.shop();
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
        shop.value(),
        window.start(),
        window.end(),
        null,
        n.total.pages(),
        n.total.seen(),
        n.total.written(),
        n.total.failed(),
        api.client().meter().cost() - costBefore,
        startedAt,
        clock.instant(),
        error);
  }

  /** A long window holding more orders than the bulk threshold: cheaper read in bulk. */
  private boolean isBacklog(ShopifyOrders api, Window window) {
    int threshold = settings.bulkThreshold();
    if (threshold == 0 || window.length().compareTo(BACKLOG_WINDOW) < 0) {
      return false;
    }
    ShopifyOrders.Count count = api.count(window.search(UPDATED_AT));
    return count.count() > threshold;
  }

  /**
   * Reads {@code window} through one bulk operation, the watermark moving to its end with its last
   * orders; when the operation cannot give every order, reads it by pages.
   */
  private void readInBulk(ShopifyOrders api, Window window, Counters n) {
    ShopDomain shop = api.shop();
    BulkWindowImport.Result r =
        bulk.importWindow(
            api.bulk(),
            window,
            UPDATED_AT,
            StorePath.POLL,
            (c, result, now) -> checkpoints.advance(c, shop, Checkpoints.ORDERS, window.end(), now),
            new LoggedProgress(clock));
    n.add(new WindowReader.Read(0, (int) r.orders(), r.written(), r.failed()));
    if (!r.done()) {
      log.warn("{}: bulk read of {} fell short ({}); reading it by pages", shop, window, r.why());
      for (Window sub : window.split(settings.maxWindow())) {
        readWindow(api, sub, n, true);
      }
    }
  }

  /**
   * Reads a sub-window versions first (see {@link WindowReader}); the watermark moves to its end
   * with its last page when {@code movesWatermark} (invariant 3). The sweep's re-read reads the
   * same way, {@code movesWatermark} false.
   */
  private void readWindow(ShopifyOrders api, Window sub, Counters n, boolean movesWatermark) {
    ShopDomain shop = api.shop();
    reader.read(
        api,
        sub,
        UPDATED_AT,
        StorePath.POLL,
        movesWatermark
            ? (c, result, now) -> {
              checkpoints.advance(c, shop, Checkpoints.ORDERS, sub.end(), now);
              crashPoints.reached(CrashPoints.Step.WATERMARK_WRITTEN);
            }
            : null,
        (page, lastListed) -> {
          n.add(page);
          n.afterPage.accept(lastListed);
        });
  }

  private void recordFailure(ShopDomain shop, Window window, String error) {
    try {
      checkpoints.recordFailure(shop, Checkpoints.ORDERS, window.start(), error, clock.instant());
    } catch (DatabaseException e) {
      log.warn("{}: could not record the pass's failure: {}", shop, e.getMessage());
    }
  }

  /**
   * Fetches again, by id, the failed orders whose retry is due (invariant 6); those Shopify does
   * not return wait longer. The failure's message, or null.
   */
  private String retryFailed(ShopifyOrders api, Counters n) {
    try {
      List<String> ids =
          failed.due(api.shop().value(), clock.instant(), MAX_RETRIES_PER_PASS).stream()
              .map(FailedOrders.Failure::orderKey)
              .toList();
      if (!ids.isEmpty()) {
        Refetch.Result r = refetch.byIds(api, ids, StorePath.BACKFILL);
        n.add(new WindowReader.Read(0, 0, r.batch().written(), r.batch().failed().size()));
        failed.notReturned(api.shop().value(), r.notFound(), clock.instant());
      }
      return null;
    } catch (ShopifyException | DatabaseException e) {
      log.warn("{}: retrying failed orders stopped: {}", api.shop(), e.getMessage());
      return "retrying failed orders: " + e.getMessage();
    } catch (RuntimeException e) {
      log.error("{}: retrying failed orders stopped by an unexpected failure", api.shop(), e);
      return "retrying failed orders: unexpected " + e.getClass().getSimpleName();
    }
  }

  /** What a pass or a re-read came across so far, page by page. */
  private static final class Counters {
    WindowReader.Read total = WindowReader.Read.NOTHING;

    /** Told after each page, with the {@code updatedAt} it reached (null: an empty page). */
    Consumer<Instant> afterPage = lastListed -> {};

    void add(WindowReader.Read more) {
      total = total.plus(more);
    }
  }
}
