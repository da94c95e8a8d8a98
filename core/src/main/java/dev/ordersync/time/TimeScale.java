package dev.ordersync.time;

import java.time.Clock;
import java.time.Duration;

/**
 * How order-sync's own time runs against the wall clock: as fast, or (the chaos run, which plays
 * days in minutes) {@code factor} times faster. Intervals in the configuration are meant in
 * order-sync's own time; what waits on the wall clock (the scheduler) converts them.
 */
public record TimeScale(Clock clock, double factor) {
  public TimeScale {
    if (factor <= 0) {
      throw new IllegalArgumentException("a time scale must be positive: " + factor);
    }
  }

  public static TimeScale real(Clock clock) {
    return new TimeScale(clock, 1);
  }

  /** The wall time it takes for {@code own} to pass in order-sync's time. */
  public Duration toWall(Duration own) {
    return Duration.ofNanos((long) (own.toNanos() / factor));
  }

  /** {@link #toWall}, kept within [{@code least}, {@code most}] of wall time. */
  public Duration toWall(Duration own, Duration least, Duration most) {
    Duration wall = toWall(own);
    return wall.compareTo(least) < 0 ? least : wall.compareTo(most) > 0 ? most : wall;
  }
}
