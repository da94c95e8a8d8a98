package dev.ordersync.sync;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * A half-open window {@code [start, end)} in UTC, whole seconds (invariant 1). Its search is {@code
 * field:>='start' AND field:<'end'}: the next window may start exactly at this one's end and no
 * instant falls between them or in both.
 */
public record Window(Instant start, Instant end) {
  public Window {
    if (start == null || end == null) {
      throw new IllegalArgumentException("a window needs a start and an end");
    }
    if (start.getNano() != 0 || end.getNano() != 0) {
      throw new IllegalArgumentException("window bounds are whole seconds: " + start + ", " + end);
    }
    if (end.isBefore(start)) {
      throw new IllegalArgumentException(
          "a window cannot end before it starts: [" + start + ", " + end + ")");
    }
  }

  public static Instant floorToSecond(Instant t) {
    return t.truncatedTo(ChronoUnit.SECONDS);
  }

  public boolean isEmpty() {
    return !start.isBefore(end);
  }

  public boolean contains(Instant t) {
    return !t.isBefore(start) && t.isBefore(end);
  }

  public Duration length() {
    return Duration.between(start, end);
  }

  /**
   * The Shopify search for this window on {@code field} ({@code updated_at}, {@code created_at}).
   */
  public String search(String field) {
    return field + ":>='" + start + "' AND " + field + ":<'" + end + "'";
  }

  /** Consecutive sub-windows of at most {@code max} that together cover exactly this one. */
  public List<Window> split(Duration max) {
    List<Window> out = new ArrayList<>();
    Instant s = start;
    while (s.isBefore(end)) {
      Instant e = s.plus(max).isBefore(end) ? s.plus(max) : end;
      out.add(new Window(s, e));
      s = e;
    }
    return out;
  }

  /** Splits into {@code parts} consecutive windows of near-equal length (whole seconds). */
  public List<Window> splitInto(int parts) {
    long seconds = length().getSeconds();
    List<Window> out = new ArrayList<>();
    Instant s = start;
    for (int i = 1; i <= parts; i++) {
      Instant e = i == parts ? end : start.plusSeconds(seconds * i / parts);
      if (e.isAfter(s)) {
        out.add(new Window(s, e));
      }
      s = e;
    }
    return out;
  }

  @Override
  public String toString() {
    return "[" + start + ", " + end + ")";
  }
}
