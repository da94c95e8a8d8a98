package dev.ordersync.time;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * Simulated time that runs {@code scale} times faster than the system clock, from {@code origin} at
 * the real instant {@code anchor}. Separate processes given the same three values share one
 * simulated time: the chaos run plays days of traffic in minutes across real processes.
 */
public final class ScaledClock extends Clock {
  private final Clock real;
  private final Instant origin;
  private final Instant anchor;
  private final double scale;

  public ScaledClock(Clock real, Instant origin, Instant anchor, double scale) {
    if (scale <= 0) {
      throw new IllegalArgumentException("a time scale must be positive: " + scale);
    }
    this.real = real;
    this.origin = origin;
    this.anchor = anchor;
    this.scale = scale;
  }

  @Override
  public Instant instant() {
    long realMillis = real.millis() - anchor.toEpochMilli();
    return origin.plusMillis((long) (realMillis * scale));
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    throw new UnsupportedOperationException("ScaledClock is always UTC");
  }
}
