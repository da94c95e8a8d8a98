package dev.ordersync.dashboard;

import java.time.Duration;
import java.util.Locale;

/** Numbers and durations as the dashboard writes them. */
final class Format {
  private Format() {}

  static String number(double v) {
    return v == Math.rint(v)
        ? String.format(Locale.ROOT, "%,d", (long) v)
        : String.format(Locale.ROOT, "%,.1f", v);
  }

  /** 45 s, 12 min, 5 h, 3 d. */
  static String duration(Duration d) {
    long s = Math.max(0, d.toSeconds());
    if (s < 120) {
      return s + " s";
    }
    if (s < 7_200) {
      return (s / 60) + " min";
    }
    return s < 172_800 ? (s / 3_600) + " h" : (s / 86_400) + " d";
  }

  /**
   * An instant to the second, in UTC: {@code 2026-12-04T13:40:05Z} (not the store's nanoseconds).
   */
  static String time(java.time.Instant at) {
    return at.truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
  }
}
