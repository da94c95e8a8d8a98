package dev.ordersync.reconcile;

import dev.ordersync.config.ShopDomain;
import dev.ordersync.db.DatabaseException;
import dev.ordersync.orders.OrderBatches;
import dev.ordersync.orders.StorePath;
import dev.ordersync.orders.StoredOrders;
import dev.ordersync.shopify.ShopifyException;
import dev.ordersync.shopify.ShopifyOrders;
import dev.ordersync.sync.BulkWindowImport;
import dev.ordersync.sync.Window;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Compares the orders Shopify has created in a window with the stored ones, imports the missing and
 * reports. Counts first ({@code ordersCount}, only EXACT trusted); where counts differ it narrows
 * into sub-windows by count, and lists ids only in windows small enough to list cheaply. A quiet
 * day so costs one count per window. {@code full} lists every id instead, which also finds a miss
 * that a deletion in the same window hides from the counts.
 */
public final class Reconciler {
  private static final Logger log = LoggerFactory.getLogger(Reconciler.class);

  /**
   * A window with at most this many orders is compared by ids (a page). Listing ids costs about a
   * point an id and a count about two, so narrowing further by counts is cheaper than listing more.
   */
  static final int LIST_IDS_AT_MOST = 100;

  static final int SPLIT_INTO = 4;

  /** The most ids a full comparison holds at once (two sets of them: about 30 MB). */
  static final int IDS_IN_MEMORY_AT_MOST = 100_000;

  private final OrderBatches batches;
  private final StoredOrders stored;
  private final ReconcileRuns runs;
  private final BulkWindowImport bulk;
  private final int bulkThreshold;
  private final Clock clock;

  /**
   * @param bulkThreshold more missing orders than this are imported through a bulk operation of the
   *     window (0: never)
   */
  public Reconciler(
      OrderBatches batches,
      StoredOrders stored,
      ReconcileRuns runs,
      BulkWindowImport bulk,
      int bulkThreshold,
      Clock clock) {
    this.batches = batches;
    this.stored = stored;
    this.runs = runs;
    this.bulk = bulk;
    this.bulkThreshold = bulkThreshold;
    this.clock = clock;
  }

  /**
   * Reconciles one window, records the report and returns it. Never throws for Shopify. Its
   * requests can wait: a pass of the same shop goes first.
   */
  public ReconcileReport reconcile(
      ShopifyOrders api,
      Window window,
      ReconcileReport.Kind kind,
      LocalDate localDate,
      boolean full) {
    return reconcile(api.canWait(), window, kind, localDate, full, true);
  }

  /**
   * A quick check of a recent window by counts (the sweep's kind): recorded only when it finds
   * something (it runs after every pass; an OK at each would bury the reports worth reading).
   */
  public ReconcileReport check(ShopifyOrders api, Window window) {
    return reconcile(api, window, ReconcileReport.Kind.SWEEP, null, false, false);
  }

  private ReconcileReport reconcile(
      ShopifyOrders api,
      Window window,
      ReconcileReport.Kind kind,
      LocalDate localDate,
      boolean full,
      boolean recordOk) {
    ShopDomain shop = api.shop();
    Instant started = clock.instant();
    long startNanos = System.nanoTime();
    long costBefore = api.client().meter().cost();
    int omsBefore = stored.countCreated(shop.value(), window.start(), window.end());
    Integer shopifyCount = null;
    Set<String> missing = new LinkedHashSet<>();
    Set<String> extra = new LinkedHashSet<>();
    Set<String> unlisted = Set.of();
    int imported = 0;
    String reason = null;
    boolean unreachable = false;
    try {
      ShopifyOrders.Count top = api.count(window.search("created_at"));
      shopifyCount = top.exact() ? top.count() : null;
      if (full) {
        compareAll(api, window, top, missing, extra);
      } else {
        narrow(api, window, top, omsBefore, missing, extra);
      }
      // Search not listing an order we hold means deleted in Shopify, or not indexed yet
      // (an index incident longer than the settle lag): ask by id, which search does not delay.
      if (!extra.isEmpty()) {
        unlisted = api.existing(List.copyOf(extra));
        extra.removeAll(unlisted);
        if (!unlisted.isEmpty()) {
          log.info(
              "{}: {} stored order(s) in {} exist in Shopify but its search does not list "
                  + "them yet (index lag); not counted as extra",
              shop,
              unlisted.size(),
              window);
        }
      }
      imported =
          importMissing(
              api,
              window,
              new ArrayList<>(missing),
              kind == ReconcileReport.Kind.SWEEP ? StorePath.SWEEP : StorePath.RECONCILE);
    } catch (ShopifyException.Stopped e) {
      // the service is stopping: nothing to report, the next start checks the window again
      log.info("{}: reconciliation of {} stopped by the shutdown", shop, window);
      return new ReconcileReport(
          shop.value(),
          kind,
          localDate,
          window.start(),
          window.end(),
          null,
          omsBefore,
          omsBefore,
          List.of(),
          0,
          0,
          List.of(),
          ReconcileReport.Status.UNREACHABLE,
          "stopped by the shutdown",
          api.client().meter().cost() - costBefore,
          Duration.ofNanos(System.nanoTime() - startNanos).toMillis(),
          started);
    } catch (ShopifyException | DatabaseException e) {
      reason = "could not finish: " + e.getMessage();
      unreachable = e instanceof ShopifyException s && s.kind() != ShopifyException.Kind.PERMANENT;
      log.warn("{}: reconciliation of {} could not finish: {}", shop, window, e.getMessage());
    }
    int omsAfter = stored.countCreated(shop.value(), window.start(), window.end());
    Set<String> nowStored =
        missing.isEmpty()
            ? Set.of()
            : stored.idsCreated(shop.value(), window.start(), window.end());
    int stillMissing = (int) missing.stream().filter(id -> !nowStored.contains(id)).count();
    ReconcileReport.Status status;
    if (unreachable) {
      status = ReconcileReport.Status.UNREACHABLE;
    } else if (reason != null || stillMissing > 0) {
      status = ReconcileReport.Status.MISMATCH;
      if (reason == null) {
        reason = stillMissing + " order(s) Shopify lists could not be imported";
      }
    } else if (!missing.isEmpty()) {
      status = ReconcileReport.Status.REPAIRED;
    } else if (!extra.isEmpty()
        || (shopifyCount != null && shopifyCount + unlisted.size() != omsAfter)) {
      status = ReconcileReport.Status.MISMATCH;
      reason =
          extra.isEmpty()
              ? "counts differ (Shopify "
                  + shopifyCount
                  + ", stored "
                  + omsAfter
                  + ") but no id is missing"
              : extra.size() + " stored order(s) deleted in Shopify";
    } else {
      status = ReconcileReport.Status.OK;
    }
    ReconcileReport report =
        new ReconcileReport(
            shop.value(),
            kind,
            localDate,
            window.start(),
            window.end(),
            shopifyCount,
            omsBefore,
            omsAfter,
            List.copyOf(missing),
            imported,
            stillMissing,
            List.copyOf(extra),
            status,
            reason,
            api.client().meter().cost() - costBefore,
            Duration.ofNanos(System.nanoTime() - startNanos).toMillis(),
            started);
    if (recordOk || status != ReconcileReport.Status.OK) {
      runs.record(report);
    }
    if (status != ReconcileReport.Status.OK) {
      log.warn(
          "{}: {} {} {}: Shopify {}, stored {} -> {}, missing {}, imported {}{}, still "
              + "missing {}{}",
          shop,
          kind,
          window,
          status,
          shopifyCount == null ? "?" : shopifyCount,
          omsBefore,
          omsAfter,
          missing.size(),
          imported,
          // found missing, then stored by another path (a webhook, the poll) before the import
          missing.size() - imported - stillMissing > 0
              ? ", stored meanwhile by another path " + (missing.size() - imported - stillMissing)
              : "",
          stillMissing,
          reason == null ? "" : " (" + reason + ")");
    }
    return report;
  }

  private void narrow(
      ShopifyOrders api,
      Window w,
      ShopifyOrders.Count shopify,
      int oms,
      Set<String> missing,
      Set<String> extra) {
    if (shopify.exact() && shopify.count() == oms) {
      return;
    }
    boolean small = shopify.exact() && shopify.count() <= LIST_IDS_AT_MOST;
    if (small || w.length().getSeconds() < SPLIT_INTO * 2L) {
      compareIds(api, w, missing, extra);
      return;
    }
    for (Window part : w.splitInto(SPLIT_INTO)) {
      ShopifyOrders.Count c = api.count(part.search("created_at"));
      narrow(
          api,
          part,
          c,
          stored.countCreated(api.shop().value(), part.start(), part.end()),
          missing,
          extra);
    }
  }

  /**
   * Every id, in sub-windows of at most {@link #IDS_IN_MEMORY_AT_MOST} orders, so that a day of a
   * million orders is compared in bounded memory.
   */
  private void compareAll(
      ShopifyOrders api,
      Window w,
      ShopifyOrders.Count shopify,
      Set<String> missing,
      Set<String> extra) {
    int held = stored.countCreated(api.shop().value(), w.start(), w.end());
    boolean small = shopify.exact() && Math.max(shopify.count(), held) <= IDS_IN_MEMORY_AT_MOST;
    if (small || w.length().getSeconds() < SPLIT_INTO * 2L) {
      compareIds(api, w, missing, extra);
      return;
    }
    for (Window part : w.splitInto(SPLIT_INTO)) {
      compareAll(api, part, api.count(part.search("created_at")), missing, extra);
    }
  }

  private void compareIds(ShopifyOrders api, Window w, Set<String> missing, Set<String> extra) {
    Set<String> have = stored.idsCreated(api.shop().value(), w.start(), w.end());
    Set<String> shopify = new HashSet<>();
    String cursor = null;
    boolean more = true;
    while (more) {
      ShopifyOrders.ListedPage<String> page = api.idPage(w.search("created_at"), cursor);
      for (String id : page.items()) {
        shopify.add(id);
        if (!have.contains(id)) {
          missing.add(id);
        }
      }
      more = page.hasNext() && page.endCursor() != null;
      cursor = page.endCursor();
    }
    for (String id : have) {
      if (!shopify.contains(id)) {
        extra.add(id);
      }
    }
  }

  /**
   * Imports the missing orders by id; more than the bulk threshold through a bulk operation of the
   * window first (what is already stored costs nothing there), then by id what it did not bring.
   */
  private int importMissing(ShopifyOrders api, Window window, List<String> ids, StorePath path) {
    if (ids.isEmpty()) {
      return 0;
    }
    int inserted = 0;
    List<String> rest = ids;
    if (bulkThreshold > 0 && ids.size() > bulkThreshold) {
      BulkWindowImport.Result r =
          bulk.importWindow(
              api.bulk(), window, "created_at", path, null, BulkWindowImport.Progress.NONE);
      if (!r.done()) {
        log.warn(
            "{}: bulk import of {} fell short ({}); importing by id", api.shop(), window, r.why());
      }
      Set<String> now = stored.idsCreated(api.shop().value(), window.start(), window.end());
      rest = ids.stream().filter(id -> !now.contains(id)).toList();
      inserted = ids.size() - rest.size();
    }
    return rest.isEmpty()
        ? inserted
        : inserted + batches.store(api.byIds(rest), path).outcome().inserted();
  }
}
