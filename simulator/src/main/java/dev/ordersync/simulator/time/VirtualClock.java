package dev.ordersync.simulator.time;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A clock that only moves when told to. Shared by the simulator and order-sync in tests and in the
 * demo, so a whole simulated day plays in seconds and nobody sleeps. Thread-safe; never goes back.
 */
public final class VirtualClock extends Clock {
  private final AtomicReference<Instant> now;

  public VirtualClock(Instant start) {
    this.now = new AtomicReference<>(start);
  }

  public void advance(Duration step) {
    if (step.isNegative()) {
      throw new IllegalArgumentException("a clock cannot go back: " + step);
    }
    now.updateAndGet(t -> t.plus(step));
  }

  /** Moves to {@code target}, or stays where it is when it is already past it. */
  public void advanceTo(Instant target) {
    now.updateAndGet(t -> t.isBefore(target) ? target : t);
  }

  @Override
  public Instant instant() {
    return now.get();
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    throw new UnsupportedOperationException("VirtualClock is always UTC");
  }
}
