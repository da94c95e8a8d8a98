package dev.ordersync.sync;

import java.time.Instant;

/** What one pass of one shop did. {@code error} is null when it succeeded. */
public record PassResult(
    String shop,
    Instant windowStart,
    Instant windowEnd,
    Instant watermark,
    int pages,
    int ordersSeen,
    int ordersWritten,
    int ordersFailed,
    long apiCost,
    Instant startedAt,
    Instant finishedAt,
    String error) {

  public boolean ok() {
    return error == null;
  }
}
