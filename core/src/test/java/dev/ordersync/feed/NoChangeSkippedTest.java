package dev.ordersync.feed;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ordersync.db.Database;
import dev.ordersync.orders.ChangeLog;
import dev.ordersync.orders.FailedOrders;
import dev.ordersync.orders.FetchedOrder;
import dev.ordersync.orders.OrderBatches;
import dev.ordersync.orders.OrderChanges;
import dev.ordersync.orders.OrderDocuments;
import dev.ordersync.orders.OrderStore;
import dev.ordersync.orders.StorePath;
import dev.ordersync.testing.TestDatabases;
import dev.ordersync.testing.TestOrders;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Invariant 8 (issue 15): with several writers committing at once, a reader that follows the feed
 * as fast as it can sees every change exactly once, in order. Numbers handed out before the commit
 * (a sequence) make this fail: the reader sees 7 and 9 before 8 commits, moves past 8, and never
 * sees it. Seeded; a failure names its seed.
 */
class NoChangeSkippedTest {
  private static final Instant T0 = Instant.parse("2026-11-20T10:00:00Z");
  private static final int WRITERS = 6;
  private static final int BATCHES_PER_WRITER = 120;
  private static final int ORDERS = 1_500;
  private static final String[] SHOPS = {"a.myshopify.com", "b.myshopify.com"};

  static List<Arguments> databasesAndSeeds() {
    List<Arguments> out = new ArrayList<>();
    for (TestDatabases.Kind kind : TestDatabases.Kind.values()) {
      for (long seed : new long[] {15L, 1501L}) {
        out.add(Arguments.of(kind, seed));
      }
    }
    return out;
  }

  @ParameterizedTest(name = "{0}, seed {1}")
  @MethodSource("databasesAndSeeds")
  void a_reader_following_concurrent_writers_sees_every_change_once_in_order(
      TestDatabases.Kind kind, long seed) throws Exception {
    Clock clock = Clock.fixed(T0.plus(Duration.ofDays(1)), ZoneOffset.UTC);
    try (Database db = Database.open(TestDatabases.fresh(kind), WRITERS + 2)) {
      ChangeLog changeLog = new ChangeLog(db);
      OrderBatches batches =
          new OrderBatches(db, new OrderStore(), new FailedOrders(db), changeLog, clock);
      Feed feed = new Feed(db, changeLog, new OrderDocuments(db), Duration.ofDays(30), clock);
      ExecutorService pool = Executors.newFixedThreadPool(WRITERS + 1);
      AtomicBoolean writing = new AtomicBoolean(true);
      List<Map<String, Object>> seen = new ArrayList<>();
      Future<?> reader =
          pool.submit(
              () -> {
                long after = 0;
                while (true) {
                  boolean done = !writing.get(); // before the page: then nothing commits after it
                  Feed.Page page = feed.page(after, 1 + (int) (after % 7), null);
                  seen.addAll(page.changes());
                  after = page.next();
                  if (page.changes().isEmpty() && done) {
                    return null;
                  }
                }
              });
      List<Future<?>> writers = new ArrayList<>();
      for (int w = 0; w < WRITERS; w++) {
        Random random = new Random(seed * 31 + w);
        writers.add(pool.submit(() -> write(batches, random)));
      }
      for (Future<?> f : writers) {
        f.get(5, TimeUnit.MINUTES);
      }
      writing.set(false);
      reader.get(1, TimeUnit.MINUTES);
      pool.shutdown();

      long head = feed.head().head();
      String why = "seed " + seed + " on " + kind;
      assertThat(head).as(why).isGreaterThan(1_000);
      List<Long> seqs = seen.stream().map(c -> ((Number) c.get("seq")).longValue()).toList();
      List<Long> expected = new ArrayList<>();
      for (long s = 1; s <= head; s++) {
        expected.add(s);
      }
      assertThat(seqs).as(why + ": every change once, in order").isEqualTo(expected);
      assertEachVersionAnnouncedOnceAndTheLastIsStored(seen, feed, why);
    }
  }

  /**
   * The boundary itself: a writer has its number but has not committed; another writer commits
   * meanwhile. The reader must not be shown the second change before the first, or it moves past
   * the first for good. Here the second writer waits for the first (the numbering lock).
   */
  @ParameterizedTest
  @EnumSource(TestDatabases.Kind.class)
  void a_change_committed_while_an_earlier_number_is_open_is_not_served_before_it(
      TestDatabases.Kind kind) throws Exception {
    Clock clock = Clock.fixed(T0.plus(Duration.ofDays(1)), ZoneOffset.UTC);
    try (Database db = Database.open(TestDatabases.fresh(kind), 4)) {
      ChangeLog changeLog = new ChangeLog(db);
      OrderStore store = new OrderStore();
      OrderBatches batches = new OrderBatches(db, store, new FailedOrders(db), changeLog, clock);
      Feed feed = new Feed(db, changeLog, new OrderDocuments(db), Duration.ofDays(30), clock);
      ExecutorService pool = Executors.newFixedThreadPool(2);
      CountDownLatch numbered = new CountDownLatch(1);
      CountDownLatch commit = new CountDownLatch(1);
      Future<?> first =
          pool.submit(
              () ->
                  db.inTransaction(
                      h -> {
                        OrderChanges changes = new OrderChanges();
                        store.store(
                            h,
                            List.of(TestOrders.order(SHOPS[0], 1, T0, T0, 1, "first")),
                            StorePath.POLL,
                            T0,
                            changes);
                        changeLog.append(h, changes);
                        numbered.countDown();
                        try {
                          commit.await();
                        } catch (InterruptedException e) {
                          throw new IllegalStateException(e);
                        }
                        return null;
                      }));
      numbered.await();
      Future<?> second =
          pool.submit(
              () ->
                  batches.store(
                      List.of(
                          FetchedOrder.mapped(TestOrders.order(SHOPS[0], 2, T0, T0, 1, "second"))),
                      StorePath.WEBHOOK));
      while (!second.isDone() && !someoneWaitsForALock(db, kind)) {
        Thread.onSpinWait();
      }
      List<Map<String, Object>> seen = new ArrayList<>(feed.page(0, 10, null).changes());
      long after = seen.isEmpty() ? 0 : ((Number) seen.get(seen.size() - 1).get("seq")).longValue();
      commit.countDown();
      first.get(1, TimeUnit.MINUTES);
      second.get(1, TimeUnit.MINUTES);
      seen.addAll(feed.page(after, 10, null).changes());
      pool.shutdown();

      assertThat(seen).extracting(c -> c.get("seq")).containsExactly(1L, 2L);
      assertThat(seen)
          .extracting(c -> c.get("id"))
          .containsExactly("gid://shopify/Order/1", "gid://shopify/Order/2");
    }
  }

  private static boolean someoneWaitsForALock(Database db, TestDatabases.Kind kind) {
    String sql =
        kind == TestDatabases.Kind.POSTGRES
            ? "SELECT COUNT(*) FROM pg_locks WHERE NOT granted"
            : "SELECT COUNT(*) FROM INFORMATION_SCHEMA.SESSIONS WHERE BLOCKER_ID IS NOT NULL";
    return db.read(h -> h.createQuery(sql).mapTo(Integer.class).one()) > 0;
  }

  /** Batches of 1 to 20 orders, new ones and versions newer, older or equal to the stored one. */
  private static Void write(OrderBatches batches, Random random) {
    for (int b = 0; b < BATCHES_PER_WRITER; b++) {
      List<FetchedOrder> batch = new ArrayList<>();
      int size = 1 + random.nextInt(10);
      for (int i = 0; i < size; i++) {
        int id = 1 + random.nextInt(ORDERS);
        Instant updatedAt = T0.plusSeconds(random.nextInt(60));
        batch.add(
            FetchedOrder.mapped(
                TestOrders.order(SHOPS[id % 2], id, T0, updatedAt, 1 + id % 3, "n" + id)));
      }
      batches.store(batch, StorePath.values()[random.nextInt(StorePath.values().length)]);
    }
    return null;
  }

  /**
   * An order's changes: one {@code created} first, then {@code updated}s of strictly newer versions
   * (no version announced twice), and the last announced version is the one stored.
   */
  private static void assertEachVersionAnnouncedOnceAndTheLastIsStored(
      List<Map<String, Object>> changes, Feed feed, String why) {
    Map<String, List<Map<String, Object>>> byOrder = new HashMap<>();
    for (Map<String, Object> c : changes) {
      byOrder.computeIfAbsent((String) c.get("id"), k -> new ArrayList<>()).add(c);
    }
    for (Map.Entry<String, List<Map<String, Object>>> e : byOrder.entrySet()) {
      List<Map<String, Object>> cs = e.getValue();
      assertThat(cs.get(0).get("kind")).as(why + " " + e.getKey()).isEqualTo("created");
      for (int i = 1; i < cs.size(); i++) {
        assertThat(cs.get(i).get("kind")).as(why + " " + e.getKey()).isEqualTo("updated");
        assertThat(Instant.parse((String) cs.get(i).get("updatedAt")))
            .as(why + " " + e.getKey())
            .isAfter(Instant.parse((String) cs.get(i - 1).get("updatedAt")));
      }
      Object stored = feed.order(e.getKey()).orElseThrow().get("updatedAt");
      assertThat(cs.get(cs.size() - 1).get("updatedAt"))
          .as(why + " " + e.getKey())
          .isEqualTo(stored);
    }
  }
}
