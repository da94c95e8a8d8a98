package dev.ordersync.simulator.cost;

import java.time.Clock;
import java.time.Instant;

/**
 * The per app-and-shop cost bucket: a query needs its requested cost available before it runs;
 * afterwards the difference between requested and actual cost is refunded. Thread-safe.
 */
public final class LeakyBucket {
  private final Clock clock;
  private volatile Plan plan;
  private double available;
  private Instant last;

  public LeakyBucket(Clock clock, Plan plan) {
    this.clock = clock;
    this.plan = plan;
    this.available = plan.maximumAvailable();
    this.last = clock.instant();
  }

  public synchronized void setPlan(Plan plan) {
    this.plan = plan;
    this.available = Math.min(available, plan.maximumAvailable());
  }

  public synchronized boolean tryTake(int cost) {
    refill();
    if (available < cost) {
      return false;
    }
    available -= cost;
    return true;
  }

  public synchronized void refund(int amount) {
    available = Math.min(plan.maximumAvailable(), available + amount);
  }

  /** Empties the bucket, as a burst of another app's traffic on the same shop would. */
  public synchronized void drain() {
    refill();
    available = 0;
  }

  public synchronized Status status() {
    refill();
    return new Status(plan.maximumAvailable(), (int) Math.floor(available), plan.restoreRate());
  }

  private void refill() {
    Instant now = clock.instant();
    if (now.isAfter(last)) {
      double seconds = (now.toEpochMilli() - last.toEpochMilli()) / 1000.0;
      available = Math.min(plan.maximumAvailable(), available + seconds * plan.restoreRate());
      last = now;
    }
  }

  public record Status(int maximumAvailable, int currentlyAvailable, int restoreRate) {}
}
