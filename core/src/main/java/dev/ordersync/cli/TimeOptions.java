package dev.ordersync.cli;

import dev.ordersync.AppOptions;
import dev.ordersync.time.ScaledClock;
import dev.ordersync.time.TimeScale;
import java.time.Clock;
import java.time.Instant;
import picocli.CommandLine.Option;

/**
 * Hidden options for the chaos run: simulated time shared by separate processes, running {@code
 * --time-scale} times faster than the wall clock from {@code --time-origin} at the real instant
 * {@code --time-anchor}.
 */
public final class TimeOptions {
  @Option(names = "--time-scale", hidden = true)
  Double scale;

  @Option(names = "--time-origin", hidden = true)
  Instant origin;

  @Option(names = "--time-anchor", hidden = true)
  Instant anchor;

  /** The clock these options ask for: the system's, or a shared faster one. */
  public Clock clock() {
    if (scale == null) {
      return Clock.systemUTC();
    }
    if (origin == null || anchor == null) {
      throw new IllegalArgumentException("--time-scale needs --time-origin and --time-anchor");
    }
    return new ScaledClock(Clock.systemUTC(), origin, anchor, scale);
  }

  AppOptions appOptions() {
    if (scale == null) {
      return AppOptions.production();
    }
    TimeScale time = new TimeScale(clock(), scale);
    return AppOptions.production()
        .withTime(time, d -> Thread.sleep(Math.max(0, time.toWall(d).toMillis())));
  }
}
