package dev.ordersync.feed;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ordersync.db.Database;
import dev.ordersync.orders.ChangeLog;
import dev.ordersync.orders.FailedOrders;
import dev.ordersync.orders.FetchedOrder;
import dev.ordersync.orders.Order;
import dev.ordersync.orders.OrderBatches;
import dev.ordersync.orders.OrderDocuments;
import dev.ordersync.orders.OrderStore;
import dev.ordersync.orders.StorePath;
import dev.ordersync.testing.TestDatabases;
import dev.ordersync.testing.TestOrders;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * What a store appends to the feed (issue 15): a change for each new order, newer version and
 * deletion, in the same transaction; nothing for a version already stored, an older one, a
 * duplicate deletion, or an order the database refused.
 */
class ChangeKindsTest {
  private static final String SHOP = "a.myshopify.com";
  private static final Instant T0 = Instant.parse("2026-11-20T10:00:00Z");
  private final Clock clock = Clock.fixed(T0.plus(Duration.ofHours(2)), ZoneOffset.UTC);

  private record Parts(Database db, OrderBatches batches, Feed feed) implements AutoCloseable {
    @Override
    public void close() {
      db.close();
    }

    void store(StorePath path, Order... orders) {
      batches.store(List.of(orders).stream().map(FetchedOrder::mapped).toList(), path);
    }

    void delete(String id) {
      db.inTransaction(
          h -> {
            batches.markDeleted(h, List.of(new OrderBatches.Deletion(SHOP, id)), T0);
            return null;
          });
    }

    /** Every change as "kind updatedAt path". */
    List<String> changes() {
      return feed.page(0, Feed.MAX_LIMIT, null).changes().stream()
          .map(c -> c.get("kind") + " " + c.get("updatedAt") + " " + c.get("path"))
          .toList();
    }
  }

  private Parts parts(TestDatabases.Kind kind) {
    Database db = Database.open(TestDatabases.fresh(kind), 4);
    ChangeLog log = new ChangeLog(db);
    return new Parts(
        db,
        new OrderBatches(db, new OrderStore(), new FailedOrders(db), log, clock),
        new Feed(db, log, new OrderDocuments(db), Duration.ofDays(30), clock));
  }

  private static Order version(int seconds) {
    return TestOrders.order(SHOP, 1, T0, T0.plusSeconds(seconds), 1, "v" + seconds);
  }

  @ParameterizedTest
  @EnumSource(TestDatabases.Kind.class)
  void a_new_order_and_each_newer_version_make_one_change_a_repeat_or_older_one_none(
      TestDatabases.Kind kind) {
    try (Parts p = parts(kind)) {
      p.store(StorePath.POLL, version(10));
      p.store(StorePath.WEBHOOK, version(10)); // the duplicate webhook
      p.store(StorePath.SWEEP, version(10)); // the re-read
      p.store(StorePath.WEBHOOK, version(30));
      p.store(StorePath.WEBHOOK, version(20)); // updated twice, delivered out of order
      p.store(StorePath.RECONCILE, version(5));

      assertThat(p.changes())
          .containsExactly(
              "created 2026-11-20T10:00:10Z POLL", "updated 2026-11-20T10:00:30Z WEBHOOK");
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabases.Kind.class)
  void a_deletion_makes_one_change_and_the_order_is_then_absent_from_it(TestDatabases.Kind kind) {
    try (Parts p = parts(kind)) {
      p.store(StorePath.POLL, version(10));
      p.delete("gid://shopify/Order/1");
      p.delete("gid://shopify/Order/1"); // the duplicate deletion

      List<Map<String, Object>> changes = p.feed.page(0, 10, null).changes();
      assertThat(changes).extracting(c -> c.get("kind")).containsExactly("created", "deleted");
      assertThat(changes.get(1)).doesNotContainKey("order");
      assertThat(changes.get(0)).containsKey("order");
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabases.Kind.class)
  void an_order_stored_after_its_deletion_is_announced_created_then_deleted(
      TestDatabases.Kind kind) {
    try (Parts p = parts(kind)) {
      p.delete("gid://shopify/Order/1"); // the deletion overtook the create: a tombstone
      assertThat(p.changes()).isEmpty();
      p.store(StorePath.WEBHOOK, version(10));

      assertThat(p.changes())
          .extracting(c -> c.split(" ")[0])
          .containsExactly("created", "deleted");
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabases.Kind.class)
  void an_order_the_database_refuses_makes_no_change_and_the_rest_of_its_batch_do(
      TestDatabases.Kind kind) {
    try (Parts p = parts(kind)) {
      Order refused =
          TestOrders.refusedByTheDatabase(TestOrders.order(SHOP, 2, T0, T0.plusSeconds(2), 1, "x"));
      p.store(
          StorePath.POLL,
          version(10),
          refused,
          TestOrders.order(SHOP, 3, T0, T0.plusSeconds(3), 1, "y"));

      List<Map<String, Object>> changes = p.feed.page(0, 10, null).changes();
      assertThat(changes)
          .extracting(c -> c.get("id"))
          .containsExactly("gid://shopify/Order/1", "gid://shopify/Order/3");
      assertThat(changes).extracting(c -> c.get("seq")).containsExactly(1L, 2L);
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabases.Kind.class)
  void a_reader_can_follow_one_shop(TestDatabases.Kind kind) {
    try (Parts p = parts(kind)) {
      p.store(
          StorePath.POLL,
          TestOrders.order(SHOP, 1, T0, T0, 1, "a"),
          TestOrders.order("b.myshopify.com", 2, T0, T0, 1, "b"),
          TestOrders.order(SHOP, 3, T0, T0, 1, "c"));

      Feed.Page page = p.feed.page(0, 10, "b.myshopify.com");
      assertThat(page.changes()).extracting(c -> c.get("seq")).containsExactly(2L);
      assertThat(page.next()).as("read up to the head, past the other shop's change").isEqualTo(3L);
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabases.Kind.class)
  void each_change_carries_the_order_as_export_prints_it_now(TestDatabases.Kind kind) {
    try (Parts p = parts(kind)) {
      p.store(StorePath.POLL, TestOrders.order(SHOP, 1, T0, T0, 3, "a"));
      p.store(StorePath.POLL, TestOrders.order(SHOP, 2, T0, T0, 2, "b"));
      p.store(StorePath.WEBHOOK, TestOrders.order(SHOP, 1, T0, T0.plusSeconds(9), 4, "a2"));
      p.store(StorePath.POLL, TestOrders.order(SHOP, 3, T0, T0, 1, "c"));
      p.delete("gid://shopify/Order/3");
      Map<Object, Map<String, Object>> exported = new java.util.HashMap<>();
      new OrderDocuments(p.db).export(d -> exported.put(d.get("id"), d));

      List<Map<String, Object>> changes = p.feed.page(0, 10, null).changes();

      assertThat(changes)
          .extracting(c -> c.get("id") + " " + c.get("kind"))
          .containsExactly(
              "gid://shopify/Order/1 created",
              "gid://shopify/Order/2 created",
              "gid://shopify/Order/1 updated",
              "gid://shopify/Order/3 created",
              "gid://shopify/Order/3 deleted");
      for (Map<String, Object> c : changes) {
        if (c.get("kind").equals("deleted")) {
          assertThat(c).doesNotContainKey("order");
        } else {
          assertThat(c.get("order")).isEqualTo(exported.get(c.get("id")));
        }
      }
      assertThat((List<?>) exported.get("gid://shopify/Order/1").get("lineItems")).hasSize(4);
    }
  }
}
