package dev.ordersync.db;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ordersync.testing.TestDatabases;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.Test;

/**
 * Two transactions that each inserted a key the other then inserts wait on each other. H2 does not
 * see that as a deadlock: it waits out its lock timeout and fails one of them. That one is run
 * again, as after a deadlock PostgreSQL detects, and both commit.
 */
class InsertsWaitingOnEachOtherTest {

  @Test
  void the_transaction_that_waited_out_the_lock_timeout_is_run_again() throws Exception {
    String url = TestDatabases.fresh(TestDatabases.Kind.H2) + ";LOCK_TIMEOUT=300";
    try (Database db = Database.open(url, 4)) {
      db.inTransaction(h -> h.execute("CREATE TABLE pairs (k VARCHAR(8) PRIMARY KEY)"));
      CountDownLatch firstHoldsB = new CountDownLatch(1);
      CountDownLatch secondHoldsA = new CountDownLatch(1);
      CompletableFuture<Void> first =
          CompletableFuture.runAsync(
              () ->
                  db.inTransaction(
                      h -> {
                        insertIfAbsent(h, "b");
                        firstHoldsB.countDown();
                        await(secondHoldsA);
                        insertIfAbsent(h, "a");
                        return null;
                      }));
      CompletableFuture<Void> second =
          CompletableFuture.runAsync(
              () ->
                  db.inTransaction(
                      h -> {
                        await(firstHoldsB);
                        insertIfAbsent(h, "a");
                        secondHoldsA.countDown();
                        insertIfAbsent(h, "b");
                        return null;
                      }));

      CompletableFuture.allOf(first, second).get(30, TimeUnit.SECONDS);
      List<String> keys =
          db.read(h -> h.createQuery("SELECT k FROM pairs ORDER BY k").mapTo(String.class).list());
      assertThat(keys).containsExactly("a", "b");
    }
  }

  /** As the store inserts a new order: not seeing another's uncommitted insert of it. */
  private static void insertIfAbsent(Handle h, String key) {
    h.createUpdate(
            "INSERT INTO pairs (k) SELECT :k WHERE NOT EXISTS (SELECT 1 FROM pairs WHERE k = :k)")
        .bind("k", key)
        .execute();
  }

  private static void await(CountDownLatch latch) {
    try {
      assertThat(latch.await(10, TimeUnit.SECONDS)).as("the other transaction began").isTrue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
