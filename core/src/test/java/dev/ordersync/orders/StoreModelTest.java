package dev.ordersync.orders;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.ordersync.db.Database;
import dev.ordersync.testing.TestDatabases;
import dev.ordersync.testing.TestOrders;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Issue 24: the store against a model. Seeded histories (versions of a few orders arriving by every
 * path, in any order, some in two transactions at once; versions that cannot be mapped or stored;
 * deletions Shopify confirmed) are run against a real database, then a retry of every open failure
 * as the next pass would make it; after each, the stored state must equal the model's: the newest
 * version of every order that arrived (the API's form winning an equal version), deleted exactly
 * when a deletion was confirmed, a failure open exactly when a version newer than the stored one
 * failed, and every change in the feed once, in order, with no gap. A failing history prints its
 * seed and the shortest history that still fails.
 *
 * <p>{@code -Dordersync.model.histories=N} and {@code -Dordersync.model.seed=S} change the run
 * ({@code bench/run model}); a seed printed by a failure replays it with {@code histories=1}.
 */
class StoreModelTest {
  private static final int HISTORIES = Integer.getInteger("ordersync.model.histories", 2_000);
  private static final long SEED = Long.getLong("ordersync.model.seed", 20261204L);
  private static final Instant T0 = Instant.parse("2026-11-20T10:00:00Z");
  private static final StorePath[] PATHS = StorePath.values();

  /** Each run of a history gets ids of its own, so that histories share one database. */
  private final AtomicLong spaces = new AtomicLong();

  /** One version of one order: its number gives its updatedAt; a bad one fails every time. */
  record Version(int order, int n, Bad bad) {
    Instant updatedAt() {
      return T0.plusSeconds(10L * n);
    }
  }

  enum Bad {
    NO,
    UNMAPPABLE,
    REFUSED
  }

  /** What happens in a history: versions arriving together by one path, or a deletion. */
  sealed interface Step permits Arrive, Delete {}

  record Arrive(StorePath path, List<Version> versions) implements Step {
    @Override
    public String toString() {
      StringBuilder s = new StringBuilder(path.name()).append('[');
      for (Version v : versions) {
        s.append(" o").append(v.order()).append('v').append(v.n());
        if (v.bad() != Bad.NO) {
          s.append('(').append(v.bad().name().toLowerCase()).append(')');
        }
      }
      return s.append(" ]").toString();
    }
  }

  record Delete(int order) implements Step {
    @Override
    public String toString() {
      return "DELETE o" + order;
    }
  }

  /** Rounds of one step, or two steps run at once in two transactions. */
  record History(long seed, Map<Integer, List<Version>> orders, List<List<Step>> rounds) {
    int steps() {
      return rounds.stream().mapToInt(List::size).sum();
    }

    @Override
    public String toString() {
      StringBuilder s = new StringBuilder();
      orders.forEach(
          (o, vs) ->
              s.append("  o")
                  .append(o)
                  .append(": ")
                  .append(
                      vs.stream().map(v -> "v" + v.n() + (v.bad() == Bad.NO ? "" : "!")).toList())
                  .append('\n'));
      for (List<Step> round : rounds) {
        s.append(round.size() == 1 ? "  " : "  at once: ").append(round).append('\n');
      }
      return s.toString();
    }
  }

  static History generate(long seed) {
    Random r = new Random(seed);
    Map<Integer, List<Version>> orders = new LinkedHashMap<>();
    List<Version> arrivals = new ArrayList<>();
    List<Step> deletions = new ArrayList<>();
    int count = 1 + r.nextInt(3);
    for (int o = 1; o <= count; o++) {
      List<Version> versions = new ArrayList<>();
      int k = 1 + r.nextInt(4);
      for (int n = 1; n <= k; n++) {
        Bad bad = r.nextInt(5) > 0 ? Bad.NO : r.nextBoolean() ? Bad.UNMAPPABLE : Bad.REFUSED;
        Version v = new Version(o, n, bad);
        versions.add(v);
        int times = n < k && r.nextInt(6) == 0 ? 0 : 1 + r.nextInt(2); // missed, or repeated
        for (int t = 0; t < times; t++) {
          arrivals.add(v);
        }
      }
      orders.put(o, versions);
      if (r.nextInt(4) == 0) {
        deletions.add(new Delete(o));
      }
    }
    Collections.shuffle(arrivals, r);
    List<Step> steps = new ArrayList<>();
    for (int i = 0; i < arrivals.size(); ) {
      int size = Math.min(1 + r.nextInt(3), arrivals.size() - i);
      steps.add(
          new Arrive(PATHS[r.nextInt(PATHS.length)], List.copyOf(arrivals.subList(i, i + size))));
      i += size;
    }
    for (Step d : deletions) {
      steps.add(r.nextInt(steps.size() + 1), d);
    }
    List<List<Step>> rounds = new ArrayList<>();
    for (int i = 0; i < steps.size(); ) {
      int size = i + 1 < steps.size() && r.nextInt(5) < 2 ? 2 : 1;
      rounds.add(List.copyOf(steps.subList(i, i + size)));
      i += size;
    }
    return new History(seed, orders, rounds);
  }

  @ParameterizedTest
  @EnumSource(TestDatabases.Kind.class)
  void every_history_leaves_the_store_equal_to_the_model(TestDatabases.Kind kind) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try (Database db = Database.open(TestDatabases.fresh(kind), 6)) {
      Parts parts = new Parts(db);
      int concurrentRounds = 0;
      for (int i = 0; i < HISTORIES; i++) {
        long seed = SEED + i;
        History history = generate(seed);
        concurrentRounds += (int) history.rounds().stream().filter(r -> r.size() == 2).count();
        Optional<String> wrong;
        try {
          wrong = run(parts, history, pool);
        } catch (Exception e) {
          throw new AssertionError(
              String.format(
                  "history with seed %d on %s (replay: -Dordersync.model.seed=%d "
                      + "-Dordersync.model.histories=1) failed: %s",
                  seed, kind, seed, e),
              e);
        }
        if (wrong.isPresent()) {
          History shortest = shrink(parts, history, pool);
          fail(
              "history with seed %d on %s (replay: -Dordersync.model.seed=%d "
                  + "-Dordersync.model.histories=1) leaves the store unlike the model: %s%n"
                  + "the shortest history that still fails (%d steps):%n%s",
              seed, kind, seed, wrong.get(), shortest.steps(), shortest);
        }
      }
      assertThat(concurrentRounds).as("rounds run as two transactions at once").isPositive();
      List<Long> seqs =
          db.read(
              h ->
                  h.createQuery("SELECT seq FROM order_changes ORDER BY seq")
                      .mapTo(Long.class)
                      .list());
      long head = db.read(h -> h.createQuery("SELECT head FROM feed_head").mapTo(Long.class).one());
      assertThat(seqs).as("every change numbered once, with no gap").hasSize((int) head);
      for (int i = 0; i < seqs.size(); i++) {
        assertThat(seqs.get(i)).isEqualTo(i + 1L);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  /** Removes rounds, then steps, as long as the history still fails. */
  private History shrink(Parts parts, History failing, ExecutorService pool) throws Exception {
    History best = failing;
    boolean smaller = true;
    while (smaller) {
      smaller = false;
      for (int i = 0; i < best.rounds().size() && !smaller; i++) {
        List<List<Step>> rounds = new ArrayList<>(best.rounds());
        rounds.remove(i);
        History candidate = new History(best.seed(), best.orders(), rounds);
        if (!rounds.isEmpty() && run(parts, candidate, pool).isPresent()) {
          best = candidate;
          smaller = true;
        }
      }
      for (int i = 0; i < best.rounds().size() && !smaller; i++) {
        if (best.rounds().get(i).size() == 2) {
          for (int keep = 0; keep < 2 && !smaller; keep++) {
            List<List<Step>> rounds = new ArrayList<>(best.rounds());
            rounds.set(i, List.of(best.rounds().get(i).get(keep)));
            History candidate = new History(best.seed(), best.orders(), rounds);
            if (run(parts, candidate, pool).isPresent()) {
              best = candidate;
              smaller = true;
            }
          }
        }
      }
    }
    return best;
  }

  /** The parts of the store that every path meets. */
  private static final class Parts {
    final Database db;
    final FailedOrders failed;
    final OrderBatches batches;

    Parts(Database db) {
      this.db = db;
      this.failed = new FailedOrders(db);
      this.batches =
          new OrderBatches(
              db, new OrderStore(), failed, new ChangeLog(db), Clock.fixed(T0, ZoneOffset.UTC));
    }
  }

  /** Runs a history in ids of its own; what differs from the model, if anything. */
  private Optional<String> run(Parts p, History history, ExecutorService pool) throws Exception {
    long space = spaces.incrementAndGet();
    String shop = "m" + space + ".myshopify.com";
    Model model = new Model(history);
    for (List<Step> round : history.rounds()) {
      if (round.size() == 1) {
        apply(p, shop, space, round.get(0));
      } else {
        CyclicBarrier together = new CyclicBarrier(2);
        List<Future<?>> running = new ArrayList<>();
        for (Step s : round) {
          running.add(
              pool.submit(
                  () -> {
                    together.await(10, TimeUnit.SECONDS);
                    apply(p, shop, space, s);
                    return null;
                  }));
        }
        for (Future<?> f : running) {
          f.get(60, TimeUnit.SECONDS);
        }
      }
      round.forEach(model::apply);
    }
    // the next pass retries every open failure: Shopify answers with its current version, or
    // not at all for a deleted order
    for (FailedOrders.Failure f : p.failed.open(shop)) {
      int order = orderOf(space, f.orderKey());
      if (model.deleted.contains(order)) {
        p.failed.notReturned(shop, List.of(f.orderKey()), T0);
      } else {
        Version current = model.current(order);
        p.batches.store(List.of(fetched(shop, space, current, false)), StorePath.BACKFILL);
        model.arrived(current, false);
      }
    }
    return model.differences(p, shop, space);
  }

  private static void apply(Parts p, String shop, long space, Step step) {
    if (step instanceof Delete d) {
      p.db.inTransaction(
          h -> {
            p.batches.markDeleted(
                h, List.of(new OrderBatches.Deletion(shop, gid(space, d.order()))), T0);
            return null;
          });
    } else if (step instanceof Arrive a) {
      List<FetchedOrder> batch = new ArrayList<>();
      for (Version v : a.versions()) {
        batch.add(fetched(shop, space, v, a.path() == StorePath.WEBHOOK));
      }
      p.batches.store(batch, a.path());
    }
  }

  private static String gid(long space, int order) {
    return "gid://shopify/Order/" + (space * 10 + order);
  }

  private static int orderOf(long space, String gid) {
    return (int) (Long.parseLong(gid.substring("gid://shopify/Order/".length())) - space * 10);
  }

  /** A version as its path brings it: a webhook's REST form is coarser (no ON_HOLD). */
  private static FetchedOrder fetched(String shop, long space, Version v, boolean rest) {
    Order o =
        TestOrders.order(
            shop, space * 10 + v.order(), T0, v.updatedAt(), 1 + v.n() % 3, "v" + v.n());
    o =
        rest
            ? TestOrders.asRest(o, "UNFULFILLED")
            : TestOrders.asGraphQl(TestOrders.asRest(o, "ON_HOLD"));
    return switch (v.bad()) {
      case NO -> FetchedOrder.mapped(o);
      case REFUSED -> FetchedOrder.mapped(TestOrders.refusedByTheDatabase(o));
      case UNMAPPABLE ->
          FetchedOrder.unmapped(
              shop,
              o.id(),
              o.name(),
              "{\"updated_at\":\"" + v.updatedAt() + "\",\"note\":\"v" + v.n() + "\"}",
              "cannot map it");
    };
  }

  /** What the store must hold after a history. */
  private static final class Model {
    final History history;
    final Map<Integer, Integer> newestStored = new LinkedHashMap<>();
    final Map<Integer, Boolean> newestByApi = new LinkedHashMap<>();
    final Map<Integer, Integer> newestFailed = new LinkedHashMap<>();
    final java.util.Set<Integer> deleted = new java.util.HashSet<>();

    Model(History history) {
      this.history = history;
    }

    void apply(Step s) {
      if (s instanceof Delete d) {
        deleted.add(d.order());
      } else if (s instanceof Arrive a) {
        a.versions().forEach(v -> arrived(v, a.path() == StorePath.WEBHOOK));
      }
    }

    void arrived(Version v, boolean rest) {
      if (v.bad() != Bad.NO) {
        newestFailed.merge(v.order(), v.n(), Math::max);
        return;
      }
      Integer have = newestStored.get(v.order());
      if (have == null || v.n() > have) {
        newestStored.put(v.order(), v.n());
        newestByApi.put(v.order(), !rest);
      } else if (v.n() == have && !rest) {
        newestByApi.put(v.order(), true);
      }
    }

    Version current(int order) {
      List<Version> vs = history.orders().get(order);
      return vs.get(vs.size() - 1);
    }

    Optional<String> differences(Parts p, String shop, long space) {
      List<String> wrong = new ArrayList<>();
      Map<Integer, Map<String, Object>> rows = new LinkedHashMap<>();
      p.db
          .read(
              h ->
                  h.createQuery(
                          "SELECT id, updated_at, note, fulfillment_status, deleted_at, "
                              + "versions_stored FROM orders WHERE shop = :shop")
                      .bind("shop", shop)
                      .mapToMap()
                      .list())
          .forEach(r -> rows.put(orderOf(space, (String) r.get("id")), r));
      List<Map<String, Object>> changes =
          p.db.read(
              h ->
                  h.createQuery(
                          "SELECT order_id, kind, updated_at FROM order_changes "
                              + "WHERE shop = :shop ORDER BY seq")
                      .bind("shop", shop)
                      .mapToMap()
                      .list());
      java.util.Set<Integer> open = new java.util.HashSet<>();
      p.failed.open(shop).forEach(f -> open.add(orderOf(space, f.orderKey())));
      for (int o : history.orders().keySet()) {
        Integer n = newestStored.get(o);
        Map<String, Object> row = rows.get(o);
        if (n == null) {
          if (row != null) {
            wrong.add("o" + o + " is stored but no good version of it arrived");
          }
        } else if (row == null) {
          wrong.add("o" + o + " v" + n + " arrived but is not stored");
        } else {
          if (!("v" + n).equals(row.get("note"))) {
            wrong.add("o" + o + " stored " + row.get("note") + ", the newest is v" + n);
          }
          String status = newestByApi.get(o) ? "ON_HOLD" : "UNFULFILLED";
          if (!status.equals(row.get("fulfillment_status"))) {
            wrong.add(
                "o"
                    + o
                    + " v"
                    + n
                    + " stored "
                    + row.get("fulfillment_status")
                    + ", not "
                    + status);
          }
          if ((row.get("deleted_at") != null) != deleted.contains(o)) {
            wrong.add("o" + o + (deleted.contains(o) ? " was deleted but is live" : " is deleted"));
          }
          List<String> kinds = new ArrayList<>();
          List<String> versions = new ArrayList<>();
          for (Map<String, Object> c : changes) {
            if (orderOf(space, (String) c.get("order_id")) == o) {
              kinds.add((String) c.get("kind"));
              if (!"DELETED".equals(c.get("kind"))) {
                versions.add(String.valueOf(c.get("updated_at")));
              }
            }
          }
          long written = kinds.stream().filter(k -> !k.equals("DELETED")).count();
          if (Collections.frequency(kinds, "CREATED") != 1
              || !kinds.get(0).equals("CREATED")
              || written != ((Number) row.get("versions_stored")).longValue()
              || Collections.frequency(kinds, "DELETED") != (deleted.contains(o) ? 1 : 0)) {
            wrong.add(
                "o" + o + "'s feed " + kinds + " for " + row.get("versions_stored") + " versions");
          }
        }
        boolean shouldBeOpen =
            !deleted.contains(o)
                && newestFailed.containsKey(o)
                && (n == null || newestFailed.get(o) > n);
        if (open.contains(o) != shouldBeOpen) {
          wrong.add(
              "o"
                  + o
                  + (shouldBeOpen
                      ? "'s failure of v" + newestFailed.get(o) + " is not open"
                      : "'s failure is open, though nothing newer than what is stored failed"));
        }
      }
      return wrong.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", wrong));
    }
  }
}
