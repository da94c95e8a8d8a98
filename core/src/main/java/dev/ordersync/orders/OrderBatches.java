package dev.ordersync.orders;

import dev.ordersync.db.Database;
import dev.ordersync.db.SqlErrors;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.JdbiException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stores a batch of fetched orders, whatever path brought them (poll, sweep, reconciliation,
 * webhooks, retries, backfills): the orders, the failures of those that could not be mapped or
 * stored, and the resolution of earlier failures, in one transaction with whatever the caller
 * commits beside them (a watermark, the deliveries' status).
 *
 * <p>One order never stops the others (invariant 6): the batch is written inside a savepoint; when
 * the database refuses a value of one order, the batch is split in halves, each written in its own
 * savepoint, down to the orders at fault, which go to {@code failed_orders} while the rest is
 * stored. A failure of the database itself (connection, disk, read-only) is no order's fault: it
 * fails the whole transaction and nothing moves.
 */
public final class OrderBatches {
  private static final Logger log = LoggerFactory.getLogger(OrderBatches.class);

  /** What the caller commits in the same transaction, after the orders. */
  @FunctionalInterface
  public interface AlsoInTransaction {
    AlsoInTransaction NOTHING = (h, stored, now) -> {};

    void run(Handle h, Stored stored, Instant now) throws SQLException;
  }

  /** What a batch came to: what was written, and each order kept in failed_orders instead. */
  public record Stored(OrderStore.Outcome outcome, List<FetchedOrder> failed) {
    public int written() {
      return outcome.written();
    }

    /** The keys of the orders that went to failed_orders (see FailedOrders.keyOf). */
    public Set<String> failedKeys() {
      Set<String> keys = new LinkedHashSet<>();
      for (FetchedOrder f : failed) {
        keys.add(FailedOrders.keyOf(f));
      }
      return keys;
    }
  }

  private final Database db;
  private final OrderStore store;
  private final FailedOrders failedOrders;
  private final ChangeLog changeLog;
  private final Clock clock;
  private final Redactions redactions;

  public OrderBatches(
      Database db, OrderStore store, FailedOrders failedOrders, ChangeLog changeLog, Clock clock) {
    this.db = db;
    this.store = store;
    this.failedOrders = failedOrders;
    this.changeLog = changeLog;
    this.clock = clock;
    this.redactions = new Redactions(changeLog);
  }

  /**
   * Marks orders deleted in Shopify, in the caller's transaction, with their changes appended last:
   * for deletions confirmed outside a batch of orders.
   */
  public void markDeleted(Handle h, List<Deletion> deletions, Instant now) throws SQLException {
    OrderChanges changes = new OrderChanges();
    List<Deletion> notStored = new ArrayList<>();
    for (Deletion d : deletions) {
      if (!store.markStored(h, d.shop(), d.id(), now, StorePath.WEBHOOK, changes)) {
        notStored.add(d);
      }
    }
    if (!notStored.isEmpty()) {
      changeLog.lockHead(h); // see OrderStore.tombstone
      for (Deletion d : notStored) {
        store.tombstone(h, d.shop(), d.id(), now);
      }
    }
    for (Deletion d : deletions) {
      failedOrders.resolveDeleted(h, d.shop(), List.of(d.id()), now);
    }
    changeLog.append(h, changes);
  }

  /** An order Shopify no longer has. */
  public record Deletion(String shop, String id) {}

  public Stored store(List<FetchedOrder> batch, StorePath path) {
    return store(batch, path, AlsoInTransaction.NOTHING);
  }

  public Stored store(List<FetchedOrder> batch, StorePath path, AlsoInTransaction also) {
    Stored stored =
        db.inTransaction(
            h -> {
              Instant now = clock.instant();
              List<Order> orders = new ArrayList<>();
              List<FetchedOrder> failed = new ArrayList<>();
              for (FetchedOrder f : batch) {
                if (f.ok()) {
                  orders.add(f.order());
                } else {
                  failed.add(f);
                }
              }
              Map<Order, String> refused = new IdentityHashMap<>();
              OrderChanges changes = new OrderChanges();
              OrderStore.Outcome outcome =
                  storeIsolating(h, orders, path, now, refused, changes, 0);
              Map<String, Set<String>> storedIds = new LinkedHashMap<>();
              Map<String, Set<String>> failedIds = new LinkedHashMap<>();
              for (Order o : orders) {
                String reason = refused.get(o);
                if (reason != null) {
                  failed.add(FetchedOrder.mapped(o).refused(reason));
                } else {
                  storedIds.computeIfAbsent(o.shop(), k -> new LinkedHashSet<>()).add(o.id());
                }
              }
              for (FetchedOrder f : failed) {
                Set<String> ofShop = storedIds.get(f.shop());
                if (ofShop != null) {
                  ofShop.remove(f.id());
                }
                failedOrders.record(h, f, path, now);
                if (f.id() != null) {
                  failedIds.computeIfAbsent(f.shop(), k -> new LinkedHashSet<>()).add(f.id());
                }
              }
              Set<String> shops = new LinkedHashSet<>(storedIds.keySet());
              shops.addAll(failedIds.keySet());
              for (String shop : shops) {
                // only where the stored version is at least the failed one's: a late older
                // version, skipped as not newer, must not resolve a newer version's failure
                failedOrders.resolve(
                    h,
                    shop,
                    storedIds.getOrDefault(shop, Set.of()),
                    failedIds.getOrDefault(shop, Set.of()),
                    now);
              }
              Stored result = new Stored(outcome, List.copyOf(failed));
              also.run(h, result, now);
              List<OrderChanges.Pending> written = changes.list();
              if (!written.isEmpty()) {
                // before looking for tombstones and redactions: see OrderStore.tombstone
                changeLog.lockHead(h);
                store.buryIfDeleted(h, changes.created(), path, now, changes);
                redactions.keepRedacted(h, written);
              }
              changeLog.append(h, changes); // last: numbered in the order of commits
              return result;
            });
    changeLog.committed();
    for (FetchedOrder f : stored.failed()) {
      log.warn(
          "{}: order {} kept in failed_orders ({}): {}",
          f.shop(),
          FailedOrders.keyOf(f),
          path,
          f.error());
    }
    return stored;
  }

  /** Stores {@code orders}, or as many as the database takes; the rest go into {@code refused}. */
  private OrderStore.Outcome storeIsolating(
      Handle h,
      List<Order> orders,
      StorePath path,
      Instant now,
      Map<Order, String> refused,
      OrderChanges changes,
      int depth)
      throws SQLException {
    if (orders.isEmpty()) {
      return OrderStore.Outcome.none();
    }
    String savepoint = "batch_" + depth;
    int mark = changes.mark();
    h.savepoint(savepoint);
    try {
      OrderStore.Outcome outcome = store.store(h, orders, path, now, changes);
      h.releaseSavepoint(savepoint);
      return outcome;
    } catch (SQLException | JdbiException e) {
      SQLException sql = SqlErrors.sqlCause(e);
      if (sql == null || !SqlErrors.isOrderFault(sql)) {
        throw e;
      }
      h.rollbackToSavepoint(savepoint);
      changes.resetTo(mark); // what the rolled back writes changed, they no longer did
      if (orders.size() == 1) {
        refused.put(orders.get(0), "the database refused it: " + SqlErrors.describe(sql));
        return OrderStore.Outcome.none();
      }
      int half = orders.size() / 2;
      return storeIsolating(h, orders.subList(0, half), path, now, refused, changes, depth + 1)
          .plus(
              storeIsolating(
                  h, orders.subList(half, orders.size()), path, now, refused, changes, depth + 1));
    }
  }
}
