package dev.ordersync.sync;

import java.time.Duration;

/**
 * How the continuous import picks its windows.
 *
 * @param settleLag how far the window end trails now: Shopify's search shows new orders late
 * @param overlap how far each pass re-reads before the watermark (harmless: the store is
 *     idempotent)
 * @param maxWindow the longest window one query covers; backlogs are split into these
 * @param initialLookback where the very first pass of a shop starts, back from now
 */
public record SyncSettings(
    Duration settleLag, Duration overlap, Duration maxWindow, Duration initialLookback) {

  public SyncSettings {
    if (settleLag.isNegative()
        || overlap.isNegative()
        || maxWindow.compareTo(Duration.ofSeconds(1)) < 0
        || initialLookback.isNegative()) {
      throw new IllegalArgumentException("sync settings must be positive durations");
    }
  }

  public static SyncSettings defaults() {
    return new SyncSettings(
        Duration.ofSeconds(60), Duration.ofSeconds(60), Duration.ofHours(1), Duration.ofDays(1));
  }
}
