package dev.ordersync.orders;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ordersync.db.Database;
import dev.ordersync.testing.TestDatabases;
import dev.ordersync.testing.TestOrders;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Issue 24, items 1, 3 and 5: sequences that left an order stale or a failure forgotten. */
class StoreIntegrityTest {
  private static final String SHOP = "a.myshopify.com";
  private static final Instant T0 = Instant.parse("2026-11-20T10:00:00Z");

  private static OrderBatches batches(Database db) {
    return new OrderBatches(
        db,
        new OrderStore(),
        new FailedOrders(db),
        new ChangeLog(db),
        Clock.fixed(T0, ZoneOffset.UTC));
  }

  /** Item 1: v1 stored, v2 fails, a late v1 is skipped; v2's failure must stay open. */
  @ParameterizedTest
  @EnumSource(TestDatabases.Kind.class)
  void an_older_version_arriving_late_never_resolves_a_newer_versions_failure(
      TestDatabases.Kind kind) {
    try (Database db = Database.open(TestDatabases.fresh(kind), 4)) {
      OrderBatches batches = batches(db);
      FailedOrders failed = new FailedOrders(db);
      Order v1 = TestOrders.order(SHOP, 1, T0, T0.plusSeconds(10), 1, "v1");
      Order v2 = TestOrders.order(SHOP, 1, T0, T0.plusSeconds(20), 1, "v2");
      batches.store(List.of(FetchedOrder.mapped(v1)), StorePath.POLL);
      batches.store(
          List.of(FetchedOrder.mapped(TestOrders.refusedByTheDatabase(v2))), StorePath.WEBHOOK);
      assertThat(failed.open(SHOP)).hasSize(1);

      batches.store(List.of(FetchedOrder.mapped(v1)), StorePath.WEBHOOK); // a webhook retry

      assertThat(failed.open(SHOP))
          .singleElement()
          .satisfies(f -> assertThat(f.orderKey()).isEqualTo(v1.id()));

      // a payload that could not be mapped says its version too
      Order v3 = TestOrders.order(SHOP, 1, T0, T0.plusSeconds(30), 1, "v3");
      batches.store(
          List.of(
              FetchedOrder.unmapped(
                  SHOP, v3.id(), v3.name(), "{\"updated_at\":\"2026-11-20T10:00:30Z\"}", "bad")),
          StorePath.WEBHOOK);
      batches.store(
          List.of(FetchedOrder.mapped(v2)), StorePath.POLL); // newer than v1, older than v3
      assertThat(failed.open(SHOP)).hasSize(1);

      batches.store(List.of(FetchedOrder.mapped(v3)), StorePath.BACKFILL); // the retry by id
      assertThat(failed.open(SHOP)).isEmpty();
    }
  }

  /**
   * Item 3: a deletion confirmed while the order's first insert is not committed yet. Before the
   * fix, both committed unseen by the other: the order stayed live and the feed never said deleted.
   */
  @ParameterizedTest
  @EnumSource(TestDatabases.Kind.class)
  void a_deletion_confirmed_during_the_orders_first_insert_is_applied(TestDatabases.Kind kind)
      throws Exception {
    try (Database db = Database.open(TestDatabases.fresh(kind), 4)) {
      OrderBatches batches = batches(db);
      Order o = TestOrders.order(SHOP, 7, T0, T0, 1, "x");
      ExecutorService other = Executors.newSingleThreadExecutor();
      try {
        batches.store(
            List.of(FetchedOrder.mapped(o)),
            StorePath.POLL,
            (h, stored, now) -> {
              // the insert is written, not committed: the deletion is confirmed now, elsewhere
              try {
                other
                    .submit(
                        () ->
                            db.inTransaction(
                                c -> {
                                  batches.markDeleted(
                                      c, List.of(new OrderBatches.Deletion(SHOP, o.id())), T0);
                                  return null;
                                }))
                    .get(20, TimeUnit.SECONDS);
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            });
      } finally {
        other.shutdownNow();
      }

      assertThat(column(db, "SELECT deleted_at FROM orders", Instant.class)).containsExactly(T0);
      assertThat(column(db, "SELECT kind FROM order_changes ORDER BY seq", String.class))
          .containsExactly("CREATED", "DELETED");
    }
  }

  /**
   * Item 5: the same version by a webhook (REST) and by the API (GraphQL): GraphQL's values stand,
   * whichever arrived first.
   */
  @ParameterizedTest
  @EnumSource(TestDatabases.Kind.class)
  void for_an_equal_version_the_apis_values_win_whatever_the_order_of_arrival(
      TestDatabases.Kind kind) {
    for (boolean restFirst : List.of(true, false)) {
      try (Database db = Database.open(TestDatabases.fresh(kind), 4)) {
        OrderBatches batches = batches(db);
        Order graphQl =
            TestOrders.asRest(TestOrders.order(SHOP, 3, T0, T0.plusSeconds(5), 1, "x"), "ON_HOLD");
        graphQl = withFormat(graphQl, Order.RawFormat.GRAPHQL);
        Order rest = TestOrders.asRest(graphQl, "UNFULFILLED");
        List<Order> arrivals = restFirst ? List.of(rest, graphQl) : List.of(graphQl, rest);
        for (Order o : arrivals) {
          batches.store(
              List.of(FetchedOrder.mapped(o)),
              o.rawFormat() == Order.RawFormat.REST ? StorePath.WEBHOOK : StorePath.POLL);
        }
        assertThat(column(db, "SELECT fulfillment_status FROM orders", String.class))
            .as("REST first: %s", restFirst)
            .containsExactly("ON_HOLD");
        // and a third arrival of the same version by either path changes nothing
        assertThat(batches.store(List.of(FetchedOrder.mapped(rest)), StorePath.WEBHOOK).written())
            .isZero();
        assertThat(batches.store(List.of(FetchedOrder.mapped(graphQl)), StorePath.POLL).written())
            .isZero();
      }
    }
  }

  private static Order withFormat(Order o, Order.RawFormat format) {
    return format == Order.RawFormat.REST
        ? TestOrders.asRest(o, o.fulfillmentStatus())
        : TestOrders.asGraphQl(o);
  }

  private static <T> List<T> column(Database db, String sql, Class<T> type) {
    Database.Work<List<T>> work = h -> h.createQuery(sql).mapTo(type).list();
    return db.read(work);
  }

  /**
   * Issue 24, item 13: a failure whose record the database refuses (PostgreSQL takes no NUL in
   * text) is kept without its payload, saying so; it never rolls back the batch around it.
   */
  @ParameterizedTest
  @EnumSource(TestDatabases.Kind.class)
  void a_failure_the_database_refuses_to_record_is_kept_without_its_payload(
      TestDatabases.Kind kind) {
    try (Database db = Database.open(TestDatabases.fresh(kind), 4)) {
      OrderBatches batches = batches(db);
      Order good = TestOrders.order(SHOP, 5, T0, T0, 1, "ok");
      OrderBatches.Stored stored =
          batches.store(
              List.of(
                  FetchedOrder.unmapped(
                      SHOP, "gid://shopify/Order/6", "#6", "{\"note\":\"a\u0000b\"}", "bad"),
                  FetchedOrder.mapped(good)),
              StorePath.WEBHOOK);
      assertThat(stored.written()).isEqualTo(1);
      assertThat(new FailedOrders(db).open(SHOP))
          .singleElement()
          .satisfies(
              f -> {
                assertThat(f.orderKey()).isEqualTo("gid://shopify/Order/6");
                if (kind == TestDatabases.Kind.POSTGRES) {
                  assertThat(f.error()).contains("its payload could not be kept either");
                }
              });
    }
  }
}
