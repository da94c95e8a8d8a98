package dev.ordersync;

import dev.ordersync.shopify.Sleeper;
import dev.ordersync.sync.CrashPoints;
import dev.ordersync.time.TimeScale;
import java.time.Clock;
import java.util.Random;

/**
 * What tests, the demo and the chaos run replace when they open an {@link App}; production uses
 * {@link #production()}.
 *
 * @param secretKey ORDER_SYNC_SECRET_KEY, which seals the tokens order-sync stores; null: they are
 *     stored as given
 */
public record AppOptions(
    Clock clock,
    Sleeper sleeper,
    CrashPoints crashPoints,
    long seed,
    TimeScale time,
    String secretKey) {
  public AppOptions(Clock clock, Sleeper sleeper, CrashPoints crashPoints, long seed) {
    this(clock, sleeper, crashPoints, seed, TimeScale.real(clock), null);
  }

  public static AppOptions production() {
    return new AppOptions(
        Clock.systemUTC(),
        Sleeper.real(),
        CrashPoints.NONE,
        new Random().nextLong(),
        TimeScale.real(Clock.systemUTC()),
        System.getenv("ORDER_SYNC_SECRET_KEY"));
  }

  /** These options on a faster time (the chaos run). */
  public AppOptions withTime(TimeScale scaled, Sleeper sleeperOnIt) {
    return new AppOptions(scaled.clock(), sleeperOnIt, crashPoints, seed, scaled, secretKey);
  }

  /** The wall clock db-scheduler runs on, whatever order-sync's own time is. */
  public Clock wall() {
    return Clock.systemUTC();
  }

  public AppOptions withSecretKey(String key) {
    return new AppOptions(clock, sleeper, crashPoints, seed, time, key);
  }
}
