package dev.ordersync.simulator;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** What the simulator served: requests by outcome, and the API cost it charged. */
public final class SimulatorStats {
  private final ConcurrentHashMap<String, AtomicLong> outcomes = new ConcurrentHashMap<>();
  private final AtomicLong actualCost = new AtomicLong();
  private final AtomicLong requests = new AtomicLong();

  public void count(String outcome) {
    requests.incrementAndGet();
    outcomes.computeIfAbsent(outcome, k -> new AtomicLong()).incrementAndGet();
  }

  private final ConcurrentHashMap<String, AtomicLong> costByOperation = new ConcurrentHashMap<>();

  /** Charges a query's actual cost, under its operation's name ("anonymous" when it has none). */
  public void charge(String operation, int cost) {
    actualCost.addAndGet(cost);
    costByOperation
        .computeIfAbsent(operation == null ? "anonymous" : operation, k -> new AtomicLong())
        .addAndGet(cost);
  }

  /** The actual cost charged, by operation name. */
  public Map<String, Long> costByOperation() {
    Map<String, Long> m = new TreeMap<>();
    costByOperation.forEach((k, v) -> m.put(k, v.get()));
    return m;
  }

  public long requests() {
    return requests.get();
  }

  public long actualCost() {
    return actualCost.get();
  }

  public long outcome(String name) {
    AtomicLong n = outcomes.get(name);
    return n == null ? 0 : n.get();
  }

  public Map<String, Long> outcomes() {
    Map<String, Long> m = new TreeMap<>();
    outcomes.forEach((k, v) -> m.put(k, v.get()));
    return m;
  }
}
