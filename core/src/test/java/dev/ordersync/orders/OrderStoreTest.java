package dev.ordersync.orders;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ordersync.db.Database;
import dev.ordersync.testing.TestDatabases;
import dev.ordersync.testing.TestOrders;
import java.math.BigDecimal;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Invariant 4 on both databases: idempotent, monotonic, whatever path and order. */
class OrderStoreTest {
  private static final String SHOP = "a.myshopify.com";
  private static final Instant T0 = Instant.parse("2026-11-20T10:00:00Z");
  private final OrderStore store = new OrderStore();

  @ParameterizedTest
  @EnumSource(TestDatabases.Kind.class)
  void an_older_version_never_overwrites_a_newer_one(TestDatabases.Kind kind) {
    try (Database db = Database.open(TestDatabases.fresh(kind), 4)) {
      Order v1 = TestOrders.order(SHOP, 1, T0, T0.plusSeconds(10), 2, "v1");
      Order v2 = TestOrders.order(SHOP, 1, T0, T0.plusSeconds(20), 3, "v2");
      store(db, List.of(v2), StorePath.WEBHOOK);
      OrderStore.Outcome stale = store(db, List.of(v1), StorePath.POLL);
      assertThat(stale).isEqualTo(new OrderStore.Outcome(0, 0, 1));
      assertThat(note(db, v1.id())).isEqualTo("v2");
      assertThat(lineItems(db, v1.id())).isEqualTo(3);
      assertThat(paths(db, v1.id())).containsExactly("WEBHOOK", "WEBHOOK");
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabases.Kind.class)
  void a_newer_version_replaces_the_order_and_its_line_items(TestDatabases.Kind kind) {
    try (Database db = Database.open(TestDatabases.fresh(kind), 4)) {
      Order v1 = TestOrders.order(SHOP, 1, T0, T0.plusSeconds(10), 5, "v1");
      Order v2 = TestOrders.order(SHOP, 1, T0, T0.plusSeconds(20), 2, "v2");
      store(db, List.of(v1), StorePath.POLL);
      assertThat(store(db, List.of(v1), StorePath.RECONCILE))
          .isEqualTo(new OrderStore.Outcome(0, 0, 1));
      assertThat(store(db, List.of(v2), StorePath.WEBHOOK))
          .isEqualTo(new OrderStore.Outcome(0, 1, 0));
      assertThat(note(db, v1.id())).isEqualTo("v2");
      assertThat(lineItems(db, v1.id())).isEqualTo(2);
      assertThat(paths(db, v1.id())).containsExactly("POLL", "WEBHOOK");
    }
  }

  /** Seeded: versions arriving in every order, by every path, end at the newest. */
  @ParameterizedTest
  @EnumSource(TestDatabases.Kind.class)
  void versions_in_any_order_by_any_path_end_at_the_newest(TestDatabases.Kind kind) {
    long seed = 20261120L;
    Random random = new Random(seed);
    try (Database db = Database.open(TestDatabases.fresh(kind), 4)) {
      for (int id = 1; id <= 30; id++) {
        List<Order> versions = new ArrayList<>();
        int n = 1 + random.nextInt(6);
        for (int v = 0; v < n; v++) {
          versions.add(TestOrders.order(SHOP, id, T0, T0.plusSeconds(v * 7L), v + 1, "v" + v));
        }
        Collections.shuffle(versions, random);
        for (Order o : versions) {
          store(db, List.of(o), StorePath.values()[random.nextInt(StorePath.values().length)]);
        }
        assertThat(note(db, "gid://shopify/Order/" + id))
            .as("seed %d, order %d", seed, id)
            .isEqualTo("v" + (n - 1));
        assertThat(lineItems(db, "gid://shopify/Order/" + id)).isEqualTo(n);
      }
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabases.Kind.class)
  void writers_racing_on_the_same_new_orders_store_each_once(TestDatabases.Kind kind)
      throws Exception {
    try (Database db = Database.open(TestDatabases.fresh(kind), 8)) {
      int writers = 6;
      CyclicBarrier start = new CyclicBarrier(writers);
      ExecutorService pool = Executors.newFixedThreadPool(writers);
      List<Future<OrderStore.Outcome>> results = new ArrayList<>();
      for (int w = 0; w < writers; w++) {
        int writer = w;
        Callable<OrderStore.Outcome> task =
            () -> {
              List<Order> batch = new ArrayList<>();
              for (int id = 1; id <= 50; id++) {
                batch.add(TestOrders.order(SHOP, id, T0, T0.plusSeconds(writer), 2, "w" + writer));
              }
              start.await();
              return store(db, batch, StorePath.values()[writer % StorePath.values().length]);
            };
        results.add(pool.submit(task));
      }
      int inserted = 0;
      for (Future<OrderStore.Outcome> f : results) {
        inserted += f.get().inserted();
      }
      pool.shutdown();
      assertThat(inserted).isEqualTo(50);
      assertThat(count(db, "SELECT COUNT(*) FROM orders")).isEqualTo(50);
      assertThat(count(db, "SELECT COUNT(*) FROM order_line_items")).isEqualTo(100);
      for (int id = 1; id <= 50; id++) {
        assertThat(note(db, "gid://shopify/Order/" + id)).isEqualTo("w" + (writers - 1));
      }
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabases.Kind.class)
  void a_deleted_order_is_marked_not_removed(TestDatabases.Kind kind) {
    try (Database db = Database.open(TestDatabases.fresh(kind), 4)) {
      Order o = TestOrders.order(SHOP, 9, T0, T0, 1, "x");
      store(db, List.of(o), StorePath.POLL);
      boolean marked =
          db.inTransaction(
              c ->
                  store.markStored(
                      c, SHOP, o.id(), T0.plusSeconds(5), StorePath.WEBHOOK, new OrderChanges()));
      assertThat(marked).isTrue();
      StoredOrders stored = new StoredOrders(db);
      assertThat(stored.countCreated(SHOP, T0, T0.plusSeconds(1))).isZero();
      assertThat(count(db, "SELECT COUNT(*) FROM orders")).isEqualTo(1);
    }
  }

  /** An orders/delete that overtook the order's create: the order is stored, but deleted. */
  @ParameterizedTest
  @EnumSource(TestDatabases.Kind.class)
  void a_deletion_that_arrives_before_the_order_is_remembered(TestDatabases.Kind kind) {
    try (Database db = Database.open(TestDatabases.fresh(kind), 4)) {
      Order o = TestOrders.order(SHOP, 11, T0, T0, 2, "x");
      Instant deletedAt = T0.plusSeconds(30);
      OrderBatches batches =
          new OrderBatches(
              db,
              store,
              new FailedOrders(db),
              new ChangeLog(db),
              java.time.Clock.fixed(deletedAt, java.time.ZoneOffset.UTC));
      List<OrderBatches.Deletion> deletion = List.of(new OrderBatches.Deletion(SHOP, o.id()));
      db.inTransaction(
          c -> {
            batches.markDeleted(c, deletion, deletedAt);
            return null;
          });
      db.inTransaction(
          c -> {
            batches.markDeleted(c, deletion, deletedAt); // a duplicate
            return null;
          });
      batches.store(
          List.of(
              FetchedOrder.mapped(o),
              FetchedOrder.mapped(TestOrders.order(SHOP, 12, T0, T0, 1, "y"))),
          StorePath.WEBHOOK);
      StoredOrders stored = new StoredOrders(db);
      assertThat(stored.countAll(SHOP)).isEqualTo(1);
      assertThat(count(db, "SELECT COUNT(*) FROM orders")).isEqualTo(2);
      List<String> deleted = new ArrayList<>();
      new OrderDocuments(db)
          .export(
              r -> {
                if (r.get("deletedAt") != null) {
                  deleted.add(r.get("id") + " " + r.get("deletedAt"));
                }
              });
      assertThat(deleted).containsExactly(o.id() + " " + deletedAt);
    }
  }

  /**
   * PostgreSQL is written by COPY, H2 by bound parameters: the same orders, text that COPY must
   * escape and every nullable field empty, end as the same rows, column by column.
   */
  @Test
  void both_writers_store_every_column_alike() {
    String awkward = "tab\there\nnew line\r\\N back\\slash \u00e9\u6f22 \"quoted\" nul\u0000 \\";
    Order full = TestOrders.order(SHOP, 1, T0, T0.plusSeconds(1), 3, awkward);
    Order bare =
        Order.builder()
            .shop(SHOP)
            .id("gid://shopify/Order/2")
            .legacyId(2)
            .name("#2")
            .createdAt(T0)
            .updatedAt(T0)
            .test(true)
            .currency("EUR")
            .totalPrice(new BigDecimal("0.10"))
            .lineItems(
                List.of(
                    new Order.LineItem(
                        "gid://shopify/LineItem/20",
                        null,
                        awkward,
                        1,
                        0,
                        null,
                        new BigDecimal("0.10"),
                        null)))
            .rawFormat(Order.RawFormat.REST)
            .rawPayload("{\"note\":\"" + awkward + "\"}")
            .build();
    Order newer = TestOrders.order(SHOP, 1, T0, T0.plusSeconds(2), 1, awkward + " v2");
    List<List<String>> rows = new ArrayList<>();
    for (TestDatabases.Kind kind : TestDatabases.Kind.values()) {
      try (Database db = Database.open(TestDatabases.fresh(kind), 4)) {
        store(db, List.of(full, bare), StorePath.POLL);
        store(db, List.of(newer, bare), StorePath.WEBHOOK);
        rows.add(allColumns(db, "SELECT * FROM orders ORDER BY id"));
        rows.add(allColumns(db, "SELECT * FROM order_line_items ORDER BY order_id, position"));
      }
    }
    assertThat(rows.get(2)).isEqualTo(rows.get(0));
    assertThat(rows.get(3)).isEqualTo(rows.get(1));
    assertThat(rows.get(0)).anyMatch(r -> r.contains(awkward.replace('\u0000', '\uFFFD') + " v2"));
    assertThat(rows.get(1)).hasSize(2);
  }

  private OrderStore.Outcome store(Database db, List<Order> batch, StorePath path) {
    return db.inTransaction(c -> store.store(c, batch, path, T0, new OrderChanges()));
  }

  private static String note(Database db, String id) {
    return db.read(
        c -> {
          try (PreparedStatement ps =
              c.getConnection().prepareStatement("SELECT note FROM orders WHERE id = ?")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
              return rs.next() ? rs.getString(1) : null;
            }
          }
        });
  }

  private static List<String> paths(Database db, String id) {
    return db.read(
        c -> {
          try (PreparedStatement ps =
              c.getConnection()
                  .prepareStatement("SELECT first_path, last_path FROM orders WHERE id = ?")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
              rs.next();
              return List.of(rs.getString(1), rs.getString(2));
            }
          }
        });
  }

  private static int lineItems(Database db, String id) {
    return db.read(
        c -> {
          try (PreparedStatement ps =
              c.getConnection()
                  .prepareStatement("SELECT COUNT(*) FROM order_line_items WHERE order_id = ?")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
              rs.next();
              return rs.getInt(1);
            }
          }
        });
  }

  /** Every column of every row, as text, with times as instants and numbers without scale. */
  private static List<String> allColumns(Database db, String sql) {
    return db.read(
        c -> {
          List<String> out = new ArrayList<>();
          try (PreparedStatement ps = c.getConnection().prepareStatement(sql);
              ResultSet rs = ps.executeQuery()) {
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
              StringBuilder row = new StringBuilder();
              for (int i = 1; i <= n; i++) {
                Object v = rs.getObject(i);
                if (v instanceof java.time.OffsetDateTime t) {
                  v = t.toInstant();
                } else if (v instanceof java.sql.Timestamp t) {
                  v = t.toInstant();
                } else if (v instanceof BigDecimal d) {
                  v = d.stripTrailingZeros().toPlainString();
                }
                row.append(rs.getMetaData().getColumnName(i).toLowerCase())
                    .append('=')
                    .append(v)
                    .append('|');
              }
              out.add(row.toString());
            }
          }
          return out;
        });
  }

  private static int count(Database db, String sql) {
    return db.read(
        c -> {
          try (PreparedStatement ps = c.getConnection().prepareStatement(sql);
              ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getInt(1);
          }
        });
  }
}
