package dev.ordersync.sync;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * How far Shopify's search can be trusted: up to now less the settle lag, in whole seconds
 * (invariant 2). Every window that reads search, the poll's, the sweep's and every
 * reconciliation's, ends there at the latest.
 */
public final class Settled {
  private final Duration settleLag;
  private final Clock clock;

  public Settled(Duration settleLag, Clock clock) {
    this.settleLag = settleLag;
    this.clock = clock;
  }

  /** Now less the settle lag, floored to the second. */
  public Instant end() {
    return Window.floorToSecond(clock.instant().minus(settleLag));
  }

  /** The window cut at {@link #end()}; refused when it lies wholly after it. */
  public Window clamp(Window w) {
    Instant settled = end();
    if (!w.start().isBefore(settled)) {
      throw new IllegalArgumentException(
          "the window "
              + w
              + " lies in the future (now is "
              + clock.instant()
              + "); nothing to compare yet");
    }
    return w.end().isAfter(settled) ? new Window(w.start(), settled) : w;
  }
}
