package dev.ordersync.shopify;

import java.time.Duration;
import java.util.Random;

/** Capped exponential backoff with full jitter: attempt n waits U(0, min(cap, base·2^n)). */
public final class Backoff {
  private final Duration base;
  private final Duration cap;
  private final int maxAttempts;
  private final Random random;

  public Backoff(Duration base, Duration cap, int maxAttempts, Random random) {
    if (base.isNegative() || base.isZero() || cap.compareTo(base) < 0 || maxAttempts < 1) {
      throw new IllegalArgumentException("backoff needs 0 < base <= cap and maxAttempts >= 1");
    }
    this.base = base;
    this.cap = cap;
    this.maxAttempts = maxAttempts;
    this.random = random;
  }

  public static Backoff standard(long seed) {
    return new Backoff(Duration.ofMillis(500), Duration.ofSeconds(30), 8, new Random(seed));
  }

  public int maxAttempts() {
    return maxAttempts;
  }

  /** The wait before retry number {@code attempt} (1 = the first retry). */
  public synchronized Duration delay(int attempt) {
    long ceiling = Math.min(cap.toMillis(), base.toMillis() << Math.min(attempt - 1, 20));
    return Duration.ofMillis(ceiling / 2 + (long) (random.nextDouble() * (ceiling / 2.0)));
  }
}
