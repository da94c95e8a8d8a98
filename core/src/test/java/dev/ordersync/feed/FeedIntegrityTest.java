package dev.ordersync.feed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.ordersync.App;
import dev.ordersync.config.AppConfig;
import dev.ordersync.db.Database;
import dev.ordersync.orders.ChangeLog;
import dev.ordersync.orders.FailedOrders;
import dev.ordersync.orders.FetchedOrder;
import dev.ordersync.orders.OrderBatches;
import dev.ordersync.orders.OrderDocuments;
import dev.ordersync.orders.OrderStore;
import dev.ordersync.orders.StorePath;
import dev.ordersync.secrets.Secret;
import dev.ordersync.testing.Harness;
import dev.ordersync.testing.TestDatabases;
import dev.ordersync.testing.TestOrders;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Issue 24, items 6 to 9: a reader is never misled about where it stands. */
class FeedIntegrityTest {
  private static final Instant T0 = Instant.parse("2026-11-20T10:00:00Z");
  private static final String A = "a.myshopify.com";
  private static final String B = "b.myshopify.com";

  private static void store(Database db, String shop, long id) {
    new OrderBatches(
            db,
            new OrderStore(),
            new FailedOrders(db),
            new ChangeLog(db),
            Clock.fixed(T0, ZoneOffset.UTC))
        .store(
            List.of(FetchedOrder.mapped(TestOrders.order(shop, id, T0, T0, 1, "x"))),
            StorePath.POLL);
  }

  private static Feed feed(Database db) {
    return new Feed(
        db,
        new ChangeLog(db),
        new OrderDocuments(db),
        Duration.ofDays(30),
        Clock.fixed(T0, ZoneOffset.UTC));
  }

  /** Item 6: after a restore, a position past the head is refused, not served as if valid. */
  @ParameterizedTest
  @EnumSource(TestDatabases.Kind.class)
  void a_position_past_the_head_is_refused(TestDatabases.Kind kind) {
    try (Database db = Database.open(TestDatabases.fresh(kind), 4)) {
      for (long id = 1; id <= 3; id++) {
        store(db, A, id);
      }
      Feed feed = feed(db);
      assertThat(feed.page(3, 10, null).changes()).isEmpty();
      assertThatThrownBy(() -> feed.page(5, 10, null))
          .isInstanceOf(Feed.AheadOfHead.class)
          .hasMessageContaining("position 5 is past the feed's last change, 3");
    }
  }

  /** Item 8: an empty page filtered by shop moves the reader to where it read up to. */
  @ParameterizedTest
  @EnumSource(TestDatabases.Kind.class)
  void an_empty_page_of_a_quiet_shop_moves_past_the_other_shops_changes(TestDatabases.Kind kind) {
    try (Database db = Database.open(TestDatabases.fresh(kind), 4)) {
      store(db, B, 1);
      for (long id = 2; id <= 6; id++) {
        store(db, A, id);
      }
      Feed feed = feed(db);
      Feed.Page quiet = feed.page(1, 10, B);
      assertThat(quiet.changes()).isEmpty();
      assertThat(quiet.next()).isEqualTo(6);
      // a full page stops at its last change, so nothing after it is passed over
      Feed.Page full = feed.page(0, 2, A);
      assertThat(full.next()).isEqualTo(3);
    }
  }

  /** A receiver on loopback that counts what it got. */
  private static final class Receiver implements AutoCloseable {
    final AtomicInteger batches = new AtomicInteger();
    final HttpServer server;

    Receiver() throws IOException {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
      server.createContext(
          "/in",
          exchange -> {
            exchange.getRequestBody().readAllBytes();
            batches.incrementAndGet();
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
          });
      server.start();
    }

    URI url() {
      return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/in");
    }

    @Override
    public void close() {
      server.stop(0);
    }
  }

  private static AppConfig pushingTo(Harness h, URI url, AppConfig.StartAt startAt) {
    return h.config()
        .withFeed(
            new AppConfig.FeedSettings(
                Duration.ofDays(30),
                Optional.of(new AppConfig.PushSettings(url, new Secret("s"), 100, startAt))));
  }

  private static void storeAt(Harness h, App app, long id) {
    app.orders()
        .batches()
        .store(
            List.of(FetchedOrder.mapped(TestOrders.order(h.shop().value(), id, T0, T0, 1, "x"))),
            StorePath.POLL);
  }

  /**
   * Items 6, 7 and 9 on the push: a new URL is a new receiver, starting where the operator chose; a
   * position past the head stops the push; one instance pushes at a time.
   */
  @ParameterizedTest
  @EnumSource(TestDatabases.Kind.class)
  void the_push_starts_a_new_receiver_where_told_and_is_fenced(TestDatabases.Kind kind)
      throws Exception {
    try (Harness h = new Harness(kind);
        Receiver first = new Receiver();
        Receiver second = new Receiver();
        Receiver third = new Receiver()) {
      App one = h.withConfig(pushingTo(h, first.url(), AppConfig.StartAt.BEGINNING)).app();
      for (long id = 1; id <= 3; id++) {
        storeAt(h, one, id);
      }
      assertThat(one.feed().push().orElseThrow().pushDue()).isEqualTo(new FeedPush.Pushed(1, true));

      // item 9: an instance that stalled mid-batch holds a claim; another waits until it runs
      // out, and the stalled one, waking, can no longer move the position (nor back)
      storeAt(h, one, 4);
      PushTargets targets = one.feed().pushTargets();
      Instant now = h.clock.instant();
      assertThat(targets.claim(FeedPush.NAME, "stalled", now, now.plus(FeedPush.CLAIM))).isTrue();
      App two = h.app();
      assertThat(two.feed().push().orElseThrow().pushDue())
          .isEqualTo(new FeedPush.Pushed(0, false));
      h.advance(FeedPush.CLAIM.plusSeconds(1));
      assertThat(two.feed().push().orElseThrow().pushDue()).isEqualTo(new FeedPush.Pushed(1, true));
      assertThat(first.batches).hasValue(2);
      // the stalled one wakes while a third holds the claim: it cannot move the position
      Instant later = h.clock.instant();
      assertThat(targets.claim(FeedPush.NAME, "stalled", later, later.plus(FeedPush.CLAIM)))
          .isTrue();
      h.advance(FeedPush.CLAIM.plusSeconds(1));
      Instant then = h.clock.instant();
      assertThat(targets.claim(FeedPush.NAME, "next", then, then.plus(FeedPush.CLAIM))).isTrue();
      assertThat(targets.acknowledge(FeedPush.NAME, "stalled", 4, 5, then)).isFalse();
      assertThat(targets.get(FeedPush.NAME).orElseThrow().position()).isEqualTo(4);
      targets.release(FeedPush.NAME, "next");

      // item 7: a new URL starts from the beginning (everything kept), or from now
      App toSecond = h.withConfig(pushingTo(h, second.url(), AppConfig.StartAt.BEGINNING)).app();
      toSecond.feed().push().orElseThrow().pushDue();
      assertThat(second.batches).hasValue(1);
      assertThat(toSecond.feed().pushTargets().get(FeedPush.NAME).orElseThrow().position())
          .isEqualTo(4);
      App toThird = h.withConfig(pushingTo(h, third.url(), AppConfig.StartAt.NOW)).app();
      assertThat(toThird.feed().push().orElseThrow().pushDue())
          .isEqualTo(new FeedPush.Pushed(0, true));
      storeAt(h, toThird, 5);
      toThird.feed().push().orElseThrow().pushDue();
      assertThat(third.batches).hasValue(1);

      // item 6: the database restored to an older state; the push stops instead of skipping
      toThird
          .service()
          .db()
          .inTransaction(
              c -> {
                c.createUpdate("DELETE FROM order_changes WHERE seq > 2").execute();
                return c.createUpdate("UPDATE feed_head SET head = 2 WHERE id = 1").execute();
              });
      storeAt(h, toThird, 6); // numbered 3 again: the receiver at 5 would skip it
      toThird.feed().push().orElseThrow().pushDue();
      assertThat(toThird.feed().pushTargets().get(FeedPush.NAME).orElseThrow().stoppedReason())
          .contains("past the feed's last change");
    }
  }
}
