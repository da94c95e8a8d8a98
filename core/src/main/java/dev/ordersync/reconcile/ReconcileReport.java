package dev.ordersync.reconcile;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/**
 * One shop and window of a reconciliation, as persisted and printed. {@code missing} lists the GIDs
 * Shopify has and the store lacked; {@code extra} those the store holds and Shopify no longer lists
 * (deleted there; reported, never deleted here).
 */
public record ReconcileReport(
    String shop,
    Kind kind,
    LocalDate localDate,
    Instant from,
    Instant to,
    Integer shopifyCount,
    int omsCountBefore,
    int omsCountAfter,
    List<String> missing,
    int imported,
    int stillMissing,
    List<String> extra,
    Status status,
    String reason,
    long apiCost,
    long durationMs,
    Instant startedAt) {

  public ReconcileReport {
    missing = List.copyOf(missing);
    extra = List.copyOf(extra);
  }

  public enum Kind {
    NIGHTLY,
    SWEEP,
    MANUAL
  }

  public enum Status {
    OK,
    REPAIRED,
    MISMATCH,
    /**
     * Shopify could not be reached (an outage, throttling past every retry): nothing is known to be
     * missing, and the check runs again; not a mismatch, and not alerted as one.
     */
    UNREACHABLE
  }
}
