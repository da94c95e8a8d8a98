package dev.ordersync.shopify;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Keeps a client inside its cost budget, from the {@code throttleStatus} of every response: before
 * a request it waits until the bucket, refilled at the reported restore rate, holds the cost the
 * request is expected to need. It knows no plan's limits; it learns them from Shopify.
 */
final class Pacer {
  private final Clock clock;
  private double available = -1;
  private double maximum;
  private double restoreRate;
  private Instant seenAt;

  Pacer(Clock clock) {
    this.clock = clock;
  }

  synchronized void observe(JsonNode throttleStatus) {
    if (!throttleStatus.isObject()) {
      return;
    }
    available = throttleStatus.path("currentlyAvailable").asDouble(available);
    maximum = throttleStatus.path("maximumAvailable").asDouble(maximum);
    restoreRate = throttleStatus.path("restoreRate").asDouble(restoreRate);
    seenAt = clock.instant();
  }

  /** How long to wait before spending {@code cost}; zero when unknown or already available. */
  synchronized Duration waitFor(int cost) {
    if (available < 0 || restoreRate <= 0 || seenAt == null) {
      return Duration.ZERO;
    }
    double elapsed = Duration.between(seenAt, clock.instant()).toMillis() / 1000.0;
    double now = Math.min(maximum, available + elapsed * restoreRate);
    // a point more than the cost: the bucket's refill is computed on both sides in floating
    // point, and a wait that lands a hair short is refused and costs a round trip
    double needed = Math.min(cost + 1.0, maximum);
    if (now >= needed) {
      return Duration.ZERO;
    }
    return Duration.ofMillis((long) Math.ceil((needed - now) / restoreRate * 1000));
  }

  /** After THROTTLED: the wait until {@code requested} points are back. */
  synchronized Duration afterThrottle(int requested, JsonNode throttleStatus) {
    observe(throttleStatus);
    Duration d = waitFor(requested);
    return d.isZero() ? Duration.ofSeconds(1) : d;
  }
}
