package dev.ordersync.demo;

import java.time.LocalDate;
import java.time.ZoneId;

/**
 * What the demo plays.
 *
 * @param faults whether to break things (5xx bursts, an outage, index lag, throttling)
 * @param webhooks whether order-sync's webhook intake runs beside the poll
 */
public record DemoOptions(
    long seed,
    int orders,
    LocalDate day,
    ZoneId zone,
    boolean faults,
    boolean webhooks,
    String jdbcUrl) {

  public DemoOptions {
    if (orders < 1) {
      throw new IllegalArgumentException("--orders must be at least 1");
    }
  }
}
