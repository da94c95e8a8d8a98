package dev.ordersync.orders;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ordersync.App;
import dev.ordersync.testing.Harness;
import dev.ordersync.testing.TestDatabases;
import dev.ordersync.testing.TestOrders;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * Found by the chaos run: after a restart, a shop's pass, its sweep and the webhook worker stored
 * the same new orders at once; every attempt met another's insert (a unique violation, run again at
 * once) and the pass and the sweep gave up after five, leaving the backlog for twenty minutes.
 * Writers of a shop's new orders now take turns (CopyingOrderWriter's lock). On PostgreSQL, where a
 * writer waits for another's uncommitted insert.
 */
class ConcurrentWritersTest {
  private static final Instant T = Instant.parse("2026-11-20T12:00:00Z");

  @Test
  void three_paths_storing_the_same_new_orders_at_once_all_finish() throws Exception {
    try (Harness h = new Harness(TestDatabases.Kind.POSTGRES)) {
      App app = h.app();
      ExecutorService three = Executors.newFixedThreadPool(3);
      try {
        List<Future<Integer>> writers = new ArrayList<>();
        writers.add(three.submit(() -> store(app, h.shop().value(), StorePath.POLL, 250)));
        writers.add(three.submit(() -> store(app, h.shop().value(), StorePath.SWEEP, 37)));
        writers.add(three.submit(() -> store(app, h.shop().value(), StorePath.WEBHOOK, 1)));
        int inserted = 0;
        for (Future<Integer> w : writers) {
          inserted += w.get();
        }
        assertThat(inserted).as("each order inserted once, by one of them").isEqualTo(ORDERS);
        assertThat(app.orders().stored().countAll(h.shop().value())).isEqualTo(ORDERS);
      } finally {
        three.shutdownNow();
      }
    }
  }

  private static final int ORDERS = 3_000;

  /** The same new orders, in the same order as the other writers, {@code size} at a time. */
  private static int store(App app, String shop, StorePath path, int size) {
    int inserted = 0;
    for (int from = 0; from < ORDERS; from += size) {
      List<FetchedOrder> batch = new ArrayList<>();
      for (long id = 1_000L + from; id < 1_000L + Math.min(ORDERS, from + size); id++) {
        batch.add(
            FetchedOrder.mapped(TestOrders.order(shop, id, T, T.plusSeconds(id), 2, "n" + id)));
      }
      inserted += app.orders().batches().store(batch, path).outcome().inserted();
    }
    return inserted;
  }
}
