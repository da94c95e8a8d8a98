package dev.ordersync.status;

import dev.ordersync.reconcile.ReconcileReport;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;

/**
 * What the dashboard draws of one shop: its last 30 days, and its sync and webhooks of 24 hours.
 */
public record ShopHistory(ZoneId zone, List<Day> days, List<Lag> lag, List<Hour> intake) {
  public static final int DAYS = 30;
  public static final Duration RECENT = Duration.ofHours(24);

  /** A shop-local day and its newest reconciliation, when it had one. */
  public record Day(LocalDate date, Optional<ReconcileReport> reconciled) {
    public boolean mismatch() {
      return reconciled.map(r -> r.status() == ReconcileReport.Status.MISMATCH).orElse(false);
    }
  }

  /**
   * How far behind the shop's store was when a pass ended: from its window's end when it succeeded,
   * from its start (the watermark it could not move) when it failed.
   */
  public record Lag(Instant at, Duration behind, boolean ok) {}

  /** Webhook deliveries recorded in the hour starting at {@code start}. */
  public record Hour(Instant start, long deliveries) {}
}
