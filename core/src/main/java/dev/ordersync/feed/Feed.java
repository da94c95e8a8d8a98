package dev.ordersync.feed;

import dev.ordersync.db.Database;
import dev.ordersync.orders.ChangeLog;
import dev.ordersync.orders.OrderDocuments;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The OMS feed: the stored changes after a position, oldest first, each with the order as it is
 * stored now (absent for a deletion). What {@code GET /api/v1/changes}, {@code orders changes} and
 * the push serve. A position older than what retention kept is refused: the reader must start over
 * from {@code orders export}.
 */
public final class Feed {
  /** The most changes one page holds. */
  public static final int MAX_LIMIT = 1_000;

  private final Database db;
  private final ChangeLog log;
  private final OrderDocuments documents;
  private final Duration retention;
  private final Clock clock;

  public Feed(
      Database db, ChangeLog log, OrderDocuments documents, Duration retention, Clock clock) {
    this.db = db;
    this.log = log;
    this.documents = documents;
    this.retention = retention;
    this.clock = clock;
  }

  /** A page: the changes as the API writes them, and the position to ask after next. */
  public record Page(List<Map<String, Object>> changes, long next) {
    public Map<String, Object> json() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("changes", changes);
      m.put("next", next);
      return m;
    }
  }

  /** The reader asked for changes retention has already deleted. */
  public static final class Pruned extends RuntimeException {
    public Pruned(long after, long prunedThrough) {
      super(
          "changes up to "
              + prunedThrough
              + " were pruned (feed.retention); a reader at "
              + after
              + " has missed some: resynchronise from orders export, then follow from "
              + prunedThrough);
    }
  }

  /**
   * The reader's position is past the feed's last change: the database was restored from a backup
   * or replaced by a replica that was behind, and the changes numbered since below that position
   * are not the ones the reader saw. Following on would skip them silently.
   */
  public static final class AheadOfHead extends RuntimeException {
    public AheadOfHead(long after, long head) {
      super(
          "position "
              + after
              + " is past the feed's last change, "
              + head
              + ": the database was restored or replaced since this reader read there; "
              + "resynchronise from orders export, then follow from "
              + head);
    }
  }

  /**
   * The changes after {@code after}; {@code next} is where the page read up to: its last change
   * when it is full, else the feed's head (a page filtered by shop that found nothing still moves
   * the reader past the other shops' changes, so retention never strands a quiet shop's reader).
   */
  public Page page(long after, int limit, String shop) {
    if (after < 0 || limit < 1 || limit > MAX_LIMIT) {
      throw new IllegalArgumentException(
          "after must be 0 or more and limit from 1 to " + MAX_LIMIT);
    }
    Page page =
        db.read(
            h -> {
              // read before the changes: every change up to a committed head is committed
              long head =
                  h.createQuery("SELECT head FROM feed_head WHERE id = 1").mapTo(Long.class).one();
              long top =
                  Math.max(
                      head,
                      h.createQuery("SELECT COALESCE(MAX(seq), 0) FROM order_changes")
                          .mapTo(Long.class)
                          .one());
              if (after > top) {
                throw new AheadOfHead(after, top);
              }
              // before the changes are read, so that the read sees every one of them
              boolean headVisible = head > after && everyChangeVisible(h, after, head);
              List<OrderDocuments.ChangedOrder> changes =
                  documents.changesAfter(h, after, limit, shop);
              List<Map<String, Object>> out = new ArrayList<>(changes.size());
              for (OrderDocuments.ChangedOrder c : changes) {
                out.add(json(c.change(), c.order()));
              }
              long last =
                  changes.isEmpty() ? after : changes.get(changes.size() - 1).change().seq();
              long next = changes.size() < limit && headVisible ? Math.max(head, last) : last;
              return new Page(out, next);
            });
    // checked after the read: a prune that ran before or during it has raised pruned_through in
    // the transaction that deleted the rows, so a page missing pruned changes is never served
    long prunedThrough = log.head().prunedThrough();
    if (after < prunedThrough) {
      throw new Pruned(after, prunedThrough);
    }
    return page;
  }

  /**
   * Whether every change in {@code (after, head]} can be read now. Always so on PostgreSQL; H2 can
   * show a committed head a moment before the changes committed with it, and a reader moved past
   * those would never see them.
   */
  private static boolean everyChangeVisible(org.jdbi.v3.core.Handle h, long after, long head) {
    return h.createQuery("SELECT COUNT(*) FROM order_changes WHERE seq > :after AND seq <= :head")
            .bind("after", after)
            .bind("head", head)
            .mapTo(Long.class)
            .one()
        == head - after;
  }

  /**
   * A page, waiting up to {@code wait} for one when there is none yet (a long poll). Commits of
   * this process wake it at once; those of other instances within a quarter second.
   */
  public Page await(long after, int limit, String shop, Duration wait) throws InterruptedException {
    Instant until = clock.instant().plus(wait);
    while (true) {
      Page page = page(after, limit, shop);
      Duration left = Duration.between(clock.instant(), until);
      if (!page.changes().isEmpty() || left.isNegative() || left.isZero()) {
        return page;
      }
      log.awaitCommit(left.compareTo(Duration.ofMillis(250)) < 0 ? left : Duration.ofMillis(250));
    }
  }

  /** Where the feed stands: its last change, and up to where retention pruned it. */
  public ChangeLog.Head head() {
    return log.head();
  }

  /** The position a new reader can start after: everything after it is still kept. */
  public long oldestPosition() {
    return log.head().prunedThrough();
  }

  /** Deletes the changes stored longer ago than the retention; how many. */
  public int prune() {
    return log.prune(clock.instant().minus(retention));
  }

  /** One stored order, as {@code orders export} prints it. */
  public java.util.Optional<Map<String, Object>> order(String gid) {
    return documents.one(gid);
  }

  private static Map<String, Object> json(ChangeLog.Change c, Map<String, Object> order) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("seq", c.seq());
    m.put("shop", c.shop());
    m.put("id", c.id());
    m.put("kind", c.kind().word());
    m.put("updatedAt", c.updatedAt().toString());
    m.put("storedAt", c.storedAt().toString());
    m.put("path", c.path().name());
    if (order != null) {
      m.put("order", order);
    }
    return m;
  }
}
