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
  private boolean known;
  private double available;
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
    known = true;
    available = throttleStatus.path("currentlyAvailable").asDouble(available);
    maximum = throttleStatus.path("maximumAvailable").asDouble(maximum);
    restoreRate = throttleStatus.path("restoreRate").asDouble(restoreRate);
    seenAt = clock.instant();
  }

  /** How long to wait before spending {@code cost}; zero when unknown or already available. */
  synchronized Duration waitFor(int cost) {
    return waitFor(cost, 0);
  }

  /** How long until the bucket holds {@code cost} and {@code keep} more (at most its size). */
  private Duration waitFor(int cost, double keep) {
    if (!known || restoreRate <= 0 || seenAt == null) {
      return Duration.ZERO;
    }
    double elapsed = Duration.between(seenAt, clock.instant()).toMillis() / 1000.0;
    double now = Math.min(maximum, available + elapsed * restoreRate);
    // a point more than the cost: the bucket's refill is computed on both sides in floating
    // point, and a wait that lands a hair short is refused and costs a round trip
    double needed = Math.min(cost + 1.0 + keep, maximum);
    if (now >= needed) {
      return Duration.ZERO;
    }
    return Duration.ofMillis((long) Math.ceil((needed - now) / restoreRate * 1000));
  }

  /**
   * How long to wait before spending {@code cost}, and the cost set aside from then on: the shop's
   * other jobs on this client (its sync, sweep and nightly check share one bucket) wait for it
   * instead of being throttled by it. Shopify's own figure replaces the estimate at each answer.
   *
   * <p>Work that {@link ShopifyClient.Priority#CAN_WAIT can wait} goes only when the bucket would
   * still hold a full query for the poll after it ({@link #POLL_ROOM}, or half a smaller bucket),
   * and sets nothing aside until it goes: a zero wait means it may go now; otherwise it asks again
   * after the wait, and a pass's requests meanwhile go first.
   */
  synchronized Duration reserve(int cost, ShopifyClient.Priority priority) {
    boolean canWait = priority == ShopifyClient.Priority.CAN_WAIT;
    Duration wait = waitFor(cost, canWait ? Math.min(POLL_ROOM, maximum / 2) : 0);
    if (canWait && !wait.isZero()) {
      return wait;
    }
    if (known && restoreRate > 0 && seenAt != null && cost > 0) {
      Instant now = clock.instant();
      double elapsed = Duration.between(seenAt, now).toMillis() / 1000.0;
      // may fall below zero: a debt the refill pays back before the next request goes
      available = Math.min(maximum, available + elapsed * restoreRate) - cost;
      seenAt = now;
    }
    return wait;
  }

  /** What work that can wait leaves in the bucket: Shopify's single-query limit. */
  static final double POLL_ROOM = 1000;

  /** After THROTTLED: the wait until {@code requested} points are back. */
  synchronized Duration afterThrottle(int requested, JsonNode throttleStatus) {
    observe(throttleStatus);
    Duration d = waitFor(requested);
    return d.isZero() ? Duration.ofSeconds(1) : d;
  }
}
