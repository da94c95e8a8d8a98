package dev.ordersync.demo;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The planned windows in which nothing could be stored: Shopify down, every order-sync killed, its
 * database stopped. An order's recovery is the time from when it could first be read to when it was
 * stored, less what these windows took of it: the minutes order-sync had to store it. An order
 * written before an outage and stored after it counts the minutes before and the minutes after.
 */
public final class Outages {
  private final List<Instant[]> windows = new ArrayList<>();

  public void add(Instant from, Instant to) {
    windows.add(new Instant[] {from, to});
  }

  /** The time from {@code from} to {@code to} that no window covers. */
  public Duration outside(Instant from, Instant to) {
    if (!to.isAfter(from)) {
      return Duration.ZERO;
    }
    List<Instant[]> clipped = new ArrayList<>();
    for (Instant[] w : windows) {
      Instant start = w[0].isAfter(from) ? w[0] : from;
      Instant end = w[1].isBefore(to) ? w[1] : to;
      if (end.isAfter(start)) {
        clipped.add(new Instant[] {start, end});
      }
    }
    clipped.sort(Comparator.comparing(w -> w[0]));
    Duration covered = Duration.ZERO;
    Instant reached = from;
    for (Instant[] w : clipped) {
      Instant start = w[0].isAfter(reached) ? w[0] : reached;
      if (w[1].isAfter(start)) {
        covered = covered.plus(Duration.between(start, w[1]));
        reached = w[1];
      }
    }
    return Duration.between(from, to).minus(covered);
  }
}
