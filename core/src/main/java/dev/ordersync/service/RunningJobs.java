package dev.ordersync.service;

import dev.ordersync.config.ShopDomain;
import java.time.Clock;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** The shops' jobs this instance is running now, and how many it has run: its status, metrics. */
public final class RunningJobs {
  /** One job of one shop, running here since {@code since}. */
  public record Running(String task, String shop, Instant since) {}

  private final Clock clock;
  private final int threads;
  private final Map<String, Running> now = new ConcurrentHashMap<>();
  private final AtomicLong completed = new AtomicLong();

  /**
   * @param threads how many shops' jobs this instance may run at once ({@code run.threads})
   */
  public RunningJobs(Clock clock, int threads) {
    this.clock = clock;
    this.threads = threads;
  }

  void during(String task, ShopDomain shop, Runnable work) {
    String key = task + "\u0000" + shop;
    now.put(key, new Running(task, shop.value(), clock.instant()));
    try {
      work.run();
    } finally {
      now.remove(key);
      completed.incrementAndGet();
    }
  }

  public List<Running> snapshot() {
    return now.values().stream().sorted(Comparator.comparing(Running::since)).toList();
  }

  public int threads() {
    return threads;
  }

  /** Jobs this instance has run to their end (or their failure) since it started. */
  public long completed() {
    return completed.get();
  }
}
