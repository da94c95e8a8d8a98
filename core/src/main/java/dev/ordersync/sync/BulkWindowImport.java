package dev.ordersync.sync;

import dev.ordersync.config.ShopDomain;
import dev.ordersync.orders.FetchedOrder;
import dev.ordersync.orders.OrderBatches;
import dev.ordersync.orders.StorePath;
import dev.ordersync.shopify.BulkExports;
import dev.ordersync.shopify.BulkResults;
import dev.ordersync.shopify.OrderQueries;
import dev.ordersync.shopify.ShopifyException;
import dev.ordersync.shopify.Sleeper;
import java.io.InputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Imports one window through one bulk query operation: Shopify runs the query in the background,
 * outside the rate limit, and the results are stored as they download, 250 orders a transaction,
 * each recording how far the file has been stored. The operation is kept in the database, so an
 * import that dies resumes it, past the lines already stored, instead of starting another. The
 * window is done, and {@code onDone} runs in the transaction of its last orders, only when the file
 * held as many orders as Shopify says it found; otherwise (FAILED, CANCELED, EXPIRED, a URL that
 * expired, a short file) the import says why and the caller reads the window by pages.
 */
public final class BulkWindowImport {
  private static final Logger log = LoggerFactory.getLogger(BulkWindowImport.class);
  static final int BATCH = 250;
  private static final Duration FIRST_POLL = Duration.ofSeconds(1);
  private static final Duration LONGEST_POLL = Duration.ofSeconds(30);
  private static final Duration FIRST_BUSY_WAIT = Duration.ofSeconds(5);
  private static final Duration LONGEST_BUSY_WAIT = Duration.ofMinutes(1);
  private static final int BUSY_WAITS = 30;
  private static final int DOWNLOAD_ATTEMPTS = 3;

  private final OrderBatches batches;
  private final BulkImports imports;
  private final Clock clock;
  private final Sleeper sleeper;
  private final CrashPoints crashPoints;

  public BulkWindowImport(
      OrderBatches batches,
      BulkImports imports,
      Clock clock,
      Sleeper sleeper,
      CrashPoints crashPoints) {
    this.batches = batches;
    this.imports = imports;
    this.clock = clock;
    this.sleeper = sleeper;
    this.crashPoints = crashPoints;
  }

  /** How an import goes, for a progress line; the service logs it, the command line draws it. */
  @FunctionalInterface
  public interface Progress {
    Progress NONE = p -> {};

    void update(Snapshot snapshot);
  }

  /**
   * @param phase WAITING (for a free bulk slot), CREATED/RUNNING (Shopify working), DOWNLOADING
   * @param objects what Shopify has processed (orders and line items)
   * @param orders orders in the results (Shopify's count once it finished)
   * @param stored orders stored from the results so far
   * @param storedThisRun of them, by this run (not an earlier one that died)
   * @param downloadTime how long this run has been downloading
   */
  public record Snapshot(
      ShopDomain shop,
      Window window,
      String phase,
      long objects,
      long orders,
      long stored,
      long storedThisRun,
      Duration elapsed,
      Duration downloadTime) {}

  /** Whether the window is done and, when not, why; what was stored either way. */
  public record Result(boolean done, String why, long orders, int written, int failed) {
    static Result notDone(String why, long orders, int written, int failed) {
      return new Result(false, why, orders, written, failed);
    }
  }

  /**
   * The window of the latest kept, unfinished operation of {@code shop} that starts at or before
   * {@code start}: what an import that died was reading.
   */
  public Optional<Window> unfinished(ShopDomain shop, String field, Instant start) {
    return imports.unfinished(shop, field, start).map(BulkImports.Kept::window);
  }

  /** Gives up the kept operations of {@code shop} up to {@code start}: their windows are done. */
  public void abandon(ShopDomain shop, String field, Instant start) {
    Optional<BulkImports.Kept> kept;
    while ((kept = imports.unfinished(shop, field, start)).isPresent()) {
      imports.finished(kept.get().operationId(), "ABANDONED", clock.instant());
    }
  }

  public Result importWindow(
      BulkExports bulk,
      Window window,
      String field,
      StorePath path,
      OrderBatches.AlsoInTransaction onDone,
      Progress progress) {
    ShopDomain shop = bulk.shop();
    Instant began = clock.instant();
    Optional<BulkImports.Kept> kept =
        imports.unfinished(shop, field, window.start()).filter(k -> k.window().equals(window));
    String id;
    if (kept.isPresent()) {
      id = kept.get().operationId();
      log.info("{}: resuming bulk operation {} for {}", shop, id, window);
    } else {
      Optional<String> started = start(bulk, window, field, progress, began);
      if (started.isEmpty()) {
        return Result.notDone(
            "no bulk query could start: the shop's limit stayed reached", 0, 0, 0);
      }
      id = started.get();
      imports.started(id, shop, field, window, clock.instant());
    }
    BulkExports.Status status = await(bulk, id, window, progress, began);
    if (!status.completed()) {
      String why =
          "bulk operation "
              + status.status()
              + (status.errorCode() == null ? "" : " (" + status.errorCode() + ")")
              + (status.partialDataUrl() == null ? "" : ", partial data left unused");
      imports.finished(id, outcome(status), clock.instant());
      return Result.notDone(why, status.rootObjectCount(), 0, 0);
    }
    return download(bulk, id, status, window, path, onDone, progress, began);
  }

  private Optional<String> start(
      BulkExports bulk, Window window, String field, Progress progress, Instant began) {
    String query = OrderQueries.bulkOrders(window.search(field));
    Duration wait = FIRST_BUSY_WAIT;
    for (int attempt = 1; attempt <= BUSY_WAITS; attempt++) {
      BulkExports.Start s = bulk.start(query);
      if (s.started()) {
        return Optional.of(s.operationId());
      }
      log.info(
          "{}: Shopify runs as many bulk queries for this shop as it allows ({}); waiting {} s "
              + "to start the one for {}",
          bulk.shop(),
          s.busy(),
          wait.toSeconds(),
          window);
      progress.update(snapshot(bulk.shop(), window, "WAITING", 0, 0, 0, began));
      pause(bulk.shop(), wait);
      wait = min(wait.multipliedBy(2), LONGEST_BUSY_WAIT);
    }
    return Optional.empty();
  }

  private BulkExports.Status await(
      BulkExports bulk, String id, Window window, Progress progress, Instant began) {
    Duration wait = FIRST_POLL;
    while (true) {
      BulkExports.Status s = bulk.status(id);
      if (!s.running()) {
        return s;
      }
      progress.update(
          snapshot(
              bulk.shop(), window, s.status(), s.objectCount(), s.rootObjectCount(), 0, began));
      pause(bulk.shop(), wait);
      wait = min(wait.multipliedBy(2), LONGEST_POLL);
    }
  }

  private Result download(
      BulkExports bulk,
      String id,
      BulkExports.Status status,
      Window window,
      StorePath path,
      OrderBatches.AlsoInTransaction onDone,
      Progress progress,
      Instant began) {
    ShopDomain shop = bulk.shop();
    long expected = status.rootObjectCount();
    int written = 0;
    int failed = 0;
    for (int attempt = 1; ; attempt++) {
      BulkImports.Kept kept = imports.kept(id).orElseThrow();
      try {
        Download d = downloadOnce(bulk, id, status, kept, window, path, onDone, progress, began);
        written += d.written;
        failed += d.failed;
        if (d.orders != expected) {
          imports.finished(id, "SHORT", clock.instant());
          return Result.notDone(
              "the bulk results held " + d.orders + " orders, Shopify found " + expected,
              expected,
              written,
              failed);
        }
        return new Result(true, null, expected, written, failed);
      } catch (ShopifyException e) {
        if (e.kind() != ShopifyException.Kind.TRANSIENT || attempt >= DOWNLOAD_ATTEMPTS) {
          imports.finished(id, "DOWNLOAD FAILED", clock.instant());
          return Result.notDone(e.getMessage(), expected, written, failed);
        }
        log.info("{}: bulk results download broke off ({}); resuming it", shop, e.detail());
      }
    }
  }

  private record Download(long orders, int written, int failed) {}

  private Download downloadOnce(
      BulkExports bulk,
      String id,
      BulkExports.Status status,
      BulkImports.Kept kept,
      Window window,
      StorePath path,
      OrderBatches.AlsoInTransaction onDone,
      Progress progress,
      Instant began) {
    ShopDomain shop = bulk.shop();
    long expected = status.rootObjectCount();
    if (status.url() == null) {
      // no order in the window: Shopify gives no file
      finish(List.of(), id, 0, 0, expected == 0, path, onDone);
      return new Download(0, 0, 0);
    }
    int written = 0;
    int failed = 0;
    long stored = kept.ordersStored();
    Instant downloadStarted = clock.instant();
    try (InputStream file = bulk.open(status.url());
        BulkResults results = new BulkResults(shop, file, kept.linesDone());
        ReadAhead ahead = new ReadAhead(results, BATCH)) {
      while (true) {
        ReadAhead.Batch batch = ahead.next();
        stored += batch.orders().size();
        long storedSoFar = stored;
        if (batch.last()) {
          OrderBatches.Stored s =
              finish(
                  batch.orders(),
                  id,
                  batch.linesDone(),
                  storedSoFar,
                  batch.ordersInFile() == expected,
                  path,
                  onDone);
          return new Download(
              batch.ordersInFile(), written + s.written(), failed + s.failed().size());
        }
        OrderBatches.Stored s =
            batches.store(
                batch.orders(),
                path,
                (c, result, now) -> imports.progressed(c, id, batch.linesDone(), storedSoFar));
        crashPoints.reached(CrashPoints.Step.COMMITTED);
        written += s.written();
        failed += s.failed().size();
        Instant now = clock.instant();
        progress.update(
            new Snapshot(
                shop,
                window,
                "DOWNLOADING",
                status.objectCount(),
                expected,
                stored,
                stored - kept.ordersStored(),
                Duration.between(began, now),
                Duration.between(downloadStarted, now)));
      }
    } catch (java.io.IOException e) {
      throw new ShopifyException(
          ShopifyException.Kind.TRANSIENT, shop, "reading the bulk results failed: " + e, e);
    }
  }

  /** The last orders, with the window done in their transaction when the file was whole. */
  private OrderBatches.Stored finish(
      List<FetchedOrder> batch,
      String id,
      long linesDone,
      long stored,
      boolean whole,
      StorePath path,
      OrderBatches.AlsoInTransaction onDone) {
    return batches.store(
        batch,
        path,
        (c, result, now) -> {
          imports.progressed(c, id, linesDone, stored);
          if (whole) {
            imports.finished(c, id, "COMPLETED", now);
            if (onDone != null) {
              onDone.run(c, result, now);
            }
          }
        });
  }

  private static String outcome(BulkExports.Status s) {
    return s.errorCode() == null ? s.status() : s.status() + ": " + s.errorCode();
  }

  private Snapshot snapshot(
      ShopDomain shop,
      Window w,
      String phase,
      long objects,
      long orders,
      long stored,
      Instant began) {
    return new Snapshot(
        shop,
        w,
        phase,
        objects,
        orders,
        stored,
        0,
        Duration.between(began, clock.instant()),
        Duration.ZERO);
  }

  private void pause(ShopDomain shop, Duration d) {
    try {
      sleeper.sleep(d);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ShopifyException(ShopifyException.Kind.TRANSIENT, shop, "interrupted", e);
    }
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }
}
