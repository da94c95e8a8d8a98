package dev.ordersync.simulator.traffic;

import java.time.Duration;
import java.time.LocalTime;

/**
 * How a day's orders are spread: a daily curve in shop-local time, an optional flash sale (a
 * multiple of the normal rate for a while), and the share of orders that are backdated, updated,
 * cancelled or test orders.
 */
public record TrafficShape(
    LocalTime flashSaleAt,
    Duration flashSaleLength,
    double flashSaleMultiplier,
    double backdatedShare,
    double updatedShare,
    double cancelledShare,
    double testShare) {

  public static TrafficShape realistic() {
    return new TrafficShape(LocalTime.of(10, 0), Duration.ofMinutes(10), 10, 0.0, 0.3, 0.03, 0.01);
  }

  public static TrafficShape even() {
    return new TrafficShape(null, Duration.ZERO, 1, 0.0, 0.0, 0.0, 0.0);
  }

  public TrafficShape withBackdated(double share) {
    return new TrafficShape(
        flashSaleAt,
        flashSaleLength,
        flashSaleMultiplier,
        share,
        updatedShare,
        cancelledShare,
        testShare);
  }

  public TrafficShape withoutFlashSale() {
    return new TrafficShape(
        null, Duration.ZERO, 1, backdatedShare, updatedShare, cancelledShare, testShare);
  }
}
