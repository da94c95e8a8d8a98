package dev.ordersync.shopify;

import java.time.Duration;
import java.util.Random;

/**
 * Capped exponential backoff with equal jitter: retry n waits c/2 + U(0, c/2), where c = min(cap,
 * base·2^(n-1)); never less than half the ceiling, so a retry storm stays spread out.
 */
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

  public int maxAttempts() {
    return maxAttempts;
  }

  /** The wait before retry number {@code attempt} (1 = the first retry). */
  public synchronized Duration delay(int attempt) {
    long ceiling = Math.min(cap.toMillis(), base.toMillis() << Math.min(attempt - 1, 20));
    return Duration.ofMillis(ceiling / 2 + (long) (random.nextDouble() * (ceiling / 2.0)));
  }
}
