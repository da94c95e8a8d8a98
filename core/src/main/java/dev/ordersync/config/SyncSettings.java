package dev.ordersync.config;

import java.time.Duration;

/**
 * How the continuous import picks its windows.
 *
 * @param settleLag how far the window end trails now: Shopify's search shows new orders late
 * @param overlap how far each pass re-reads before the watermark (harmless: the store is
 *     idempotent); none by default: the re-read reads each instant once more, 15 minutes later, for
 *     what Shopify's search showed after the settle lag
 * @param maxWindow the longest window one query covers; backlogs are split into these
 * @param initialLookback where the very first pass of a shop starts, back from now
 * @param webhookGrace while a shop's webhooks flow, how far the poll's and the sweep's window end
 *     trails now at least, leaving the newest orders to their webhooks; zero (the default) leaves
 *     the end at the settle lag
 * @param bulkThreshold a window with more orders than this to read is read through a bulk query
 *     operation instead of pages (a first run, a backlog after an outage); 0 never
 */
public record SyncSettings(
    Duration settleLag,
    Duration overlap,
    Duration maxWindow,
    Duration initialLookback,
    Duration webhookGrace,
    int bulkThreshold) {

  public static final int DEFAULT_BULK_THRESHOLD = 2_000;

  public SyncSettings {
    if (settleLag.isNegative()
        || overlap.isNegative()
        || maxWindow.compareTo(Duration.ofSeconds(1)) < 0
        || initialLookback.isNegative()
        || webhookGrace.isNegative()
        || bulkThreshold < 0) {
      throw new IllegalArgumentException("sync settings must be positive durations");
    }
  }

  public SyncSettings(
      Duration settleLag, Duration overlap, Duration maxWindow, Duration initialLookback) {
    this(settleLag, overlap, maxWindow, initialLookback, Duration.ZERO, DEFAULT_BULK_THRESHOLD);
  }

  public static SyncSettings defaults() {
    return new SyncSettings(
        Duration.ofSeconds(60), Duration.ZERO, Duration.ofHours(1), Duration.ofDays(1));
  }

  public SyncSettings withWebhookGrace(Duration grace) {
    return new SyncSettings(settleLag, overlap, maxWindow, initialLookback, grace, bulkThreshold);
  }

  public SyncSettings withBulkThreshold(int threshold) {
    return new SyncSettings(
        settleLag, overlap, maxWindow, initialLookback, webhookGrace, threshold);
  }
}
