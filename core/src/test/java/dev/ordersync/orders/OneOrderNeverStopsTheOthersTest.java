package dev.ordersync.orders;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ordersync.config.ShopDomain;
import dev.ordersync.db.Database;
import dev.ordersync.db.DatabaseException;
import dev.ordersync.sync.Checkpoints;
import dev.ordersync.testing.TestDatabases;
import dev.ordersync.testing.TestOrders;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Invariant 6 for orders the database refuses: the batch store isolates them (issue 10). */
class OneOrderNeverStopsTheOthersTest {
  private static final String SHOP = "a.myshopify.com";
  private static final Instant T0 = Instant.parse("2026-11-20T10:00:00Z");
  private static final Instant NOW = Instant.parse("2026-11-20T12:00:00Z");
  private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);

  @ParameterizedTest
  @EnumSource(TestDatabases.Kind.class)
  void a_page_of_250_with_one_order_refused_stores_the_249_and_moves_the_watermark(
      TestDatabases.Kind kind) {
    try (Database db = Database.open(TestDatabases.fresh(kind), 4)) {
      FailedOrders failed = new FailedOrders(db);
      OrderBatches batches =
          new OrderBatches(db, new OrderStore(), failed, new ChangeLog(db), clock);
      Checkpoints checkpoints = new Checkpoints(db);
      List<FetchedOrder> page = new ArrayList<>();
      for (int i = 1; i <= 250; i++) {
        Order o = TestOrders.order(SHOP, i, T0, T0.plusSeconds(i), 2, "n" + i);
        page.add(FetchedOrder.mapped(i == 125 ? TestOrders.refusedByTheDatabase(o) : o));
      }
      Instant windowEnd = T0.plusSeconds(3600);

      OrderBatches.Stored stored =
          batches.store(
              page,
              StorePath.POLL,
              (c, s, now) ->
                  checkpoints.advance(c, ShopDomain.of(SHOP), Checkpoints.ORDERS, windowEnd, now));

      assertThat(stored.outcome().inserted()).isEqualTo(249);
      assertThat(count(db, "SELECT COUNT(*) FROM orders")).isEqualTo(249);
      assertThat(count(db, "SELECT COUNT(*) FROM order_line_items")).isEqualTo(498);
      assertThat(checkpoints.get(ShopDomain.of(SHOP), Checkpoints.ORDERS).orElseThrow().watermark())
          .isEqualTo(windowEnd);
      FailedOrders.Failure f = failed.open(SHOP).get(0);
      assertThat(failed.open(SHOP)).hasSize(1);
      assertThat(f.orderKey()).isEqualTo("gid://shopify/Order/125");
      assertThat(f.name()).isEqualTo("#125");
      // H2 calls it too long, PostgreSQL out of range; both name the column, neither the value
      assertThat(f.error())
          .contains("total_price")
          .contains("SQLSTATE 22")
          .doesNotContain("9999999999999999999");
      assertThat(f.rawPayload()).contains("gid://shopify/Order/125");
      assertThat(f.attempts()).isEqualTo(1);
      assertThat(f.nextRetryAt()).isEqualTo(NOW.plus(Duration.ofMinutes(5)));

      // a later, storable version resolves the failure
      batches.store(
          List.of(
              FetchedOrder.mapped(
                  TestOrders.order(SHOP, 125, T0, T0.plusSeconds(9000), 2, "fixed"))),
          StorePath.BACKFILL);
      assertThat(failed.open(SHOP)).isEmpty();
      assertThat(count(db, "SELECT COUNT(*) FROM orders")).isEqualTo(250);
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabases.Kind.class)
  void several_refused_orders_anywhere_in_a_batch_are_each_isolated(TestDatabases.Kind kind) {
    try (Database db = Database.open(TestDatabases.fresh(kind), 4)) {
      FailedOrders failed = new FailedOrders(db);
      OrderBatches batches =
          new OrderBatches(db, new OrderStore(), failed, new ChangeLog(db), clock);
      List<Integer> refused = List.of(1, 2, 77, 78, 200);
      List<FetchedOrder> page = new ArrayList<>();
      for (int i = 1; i <= 200; i++) {
        Order o = TestOrders.order(SHOP, i, T0, T0.plusSeconds(i), 1, "n");
        page.add(FetchedOrder.mapped(refused.contains(i) ? TestOrders.refusedByTheDatabase(o) : o));
      }
      page.add(
          FetchedOrder.unmapped(
              SHOP, "gid://shopify/Order/999", "#999", "{}", "createdAt is missing"));

      OrderBatches.Stored stored = batches.store(page, StorePath.WEBHOOK);

      assertThat(stored.written()).isEqualTo(195);
      assertThat(stored.failed()).hasSize(6);
      assertThat(failed.open(SHOP))
          .extracting(FailedOrders.Failure::orderKey)
          .containsExactlyInAnyOrder(
              "gid://shopify/Order/1",
              "gid://shopify/Order/2",
              "gid://shopify/Order/77",
              "gid://shopify/Order/78",
              "gid://shopify/Order/200",
              "gid://shopify/Order/999");
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabases.Kind.class)
  void an_order_with_150_tags_and_a_12000_character_note_is_stored_whole(TestDatabases.Kind kind) {
    try (Database db = Database.open(TestDatabases.fresh(kind), 4)) {
      OrderBatches batches =
          new OrderBatches(db, new OrderStore(), new FailedOrders(db), new ChangeLog(db), clock);
      List<String> tags = new ArrayList<>();
      for (int i = 0; i < 150; i++) {
        tags.add("wholesale-customer-segment-" + i);
      }
      String note = "n".repeat(12_000);
      Order big = TestOrders.withTagsAndNote(TestOrders.order(SHOP, 1, T0, T0, 1, "x"), tags, note);

      OrderBatches.Stored stored = batches.store(List.of(FetchedOrder.mapped(big)), StorePath.POLL);

      assertThat(stored.failed()).isEmpty();
      assertThat(String.join(", ", tags).length()).isGreaterThan(4_000);
      assertThat(text(db, "SELECT tags FROM orders")).isEqualTo(String.join(", ", tags));
      assertThat(text(db, "SELECT note FROM orders")).isEqualTo(note);
    }
  }

  /** A read-only database is no order's fault: the batch fails whole and nothing moves. */
  @Test
  void a_failure_of_the_database_itself_fails_the_whole_batch_and_moves_nothing() throws Exception {
    String url = TestDatabases.fresh(TestDatabases.Kind.POSTGRES);
    try (Database db = Database.open(url, 2)) {
      FailedOrders failed = new FailedOrders(db);
      OrderBatches batches =
          new OrderBatches(db, new OrderStore(), failed, new ChangeLog(db), clock);
      Checkpoints checkpoints = new Checkpoints(db);
      db.inTransaction(
          c -> {
            try (Statement st = c.getConnection().createStatement()) {
              st.execute(
                  "ALTER DATABASE "
                      + c.getConnection().getCatalog()
                      + " SET default_transaction_read_only"
                      + " = on");
            }
            return null;
          });
      db.dataSource()
          .unwrap(com.zaxxer.hikari.HikariDataSource.class)
          .getHikariPoolMXBean()
          .softEvictConnections();
      List<FetchedOrder> page =
          List.of(
              FetchedOrder.mapped(TestOrders.order(SHOP, 1, T0, T0, 1, "a")),
              FetchedOrder.mapped(
                  TestOrders.refusedByTheDatabase(TestOrders.order(SHOP, 2, T0, T0, 1, "b"))));

      assertThatThrownBy(
              () ->
                  batches.store(
                      page,
                      StorePath.POLL,
                      (c, s, now) ->
                          checkpoints.advance(
                              c, ShopDomain.of(SHOP), Checkpoints.ORDERS, T0.plusSeconds(60), now)))
          .isInstanceOf(DatabaseException.class)
          .hasMessageContaining("read-only");
      assertThat(checkpoints.get(ShopDomain.of(SHOP), Checkpoints.ORDERS)).isEmpty();
      assertThat(failed.open(SHOP)).isEmpty();
      assertThat(count(db, "SELECT COUNT(*) FROM orders")).isZero();
    }
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

  private static String text(Database db, String sql) {
    return db.read(
        c -> {
          try (PreparedStatement ps = c.getConnection().prepareStatement(sql);
              ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getString(1);
          }
        });
  }
}
