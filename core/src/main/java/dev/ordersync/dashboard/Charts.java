package dev.ordersync.dashboard;

import static dev.ordersync.dashboard.Html.esc;

import dev.ordersync.reconcile.ReconcileReport;
import dev.ordersync.status.ShopHistory;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * The dashboard's charts, drawn on the server as inline SVG: no script, nothing to load, every
 * value escaped like the rest of the page, and each point an element a browser test can find (a
 * {@code <title>} is its tooltip).
 */
final class Charts {
  private static final int W = 600;
  private static final int H = 200;
  private static final int LEFT = 44;
  private static final int RIGHT = 24;
  private static final int TOP = 12;
  private static final int BOTTOM = 26;
  private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("MM-dd");
  private static final DateTimeFormatter HOUR = DateTimeFormatter.ofPattern("HH:mm");

  private Charts() {}

  /** Per shop-local day, Shopify's count and the stored count; a mismatching day stands out. */
  static String days(String shop, List<ShopHistory.Day> days) {
    double max = 1;
    for (ShopHistory.Day d : days) {
      if (d.reconciled().isPresent()) {
        ReconcileReport r = d.reconciled().get();
        max =
            Math.max(
                max, Math.max(r.omsCountAfter(), r.shopifyCount() == null ? 0 : r.shopifyCount()));
      }
    }
    Scale y = Scale.of(max);
    double slot = (double) (W - LEFT - RIGHT) / Math.max(1, days.size());
    StringBuilder s = open("days", "Shopify's count and the stored count of each day of " + shop);
    yAxis(s, y);
    for (int i = 0; i < days.size(); i++) {
      if (days.get(i).mismatch()) {
        s.append(
            svg(
                "<rect class=\"mismatch-band\" x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\"/>",
                LEFT + slot * i, TOP, slot, H - TOP - BOTTOM));
      }
    }
    s.append(line("shopify", days, slot, y, d -> shopifyCount(d)));
    s.append(line("stored", days, slot, y, d -> d.reconciled().get().omsCountAfter()));
    for (int i = 0; i < days.size(); i++) {
      ShopHistory.Day d = days.get(i);
      double x = LEFT + slot * (i + 0.5);
      String status = d.reconciled().map(r -> r.status().name()).orElse("UNCHECKED");
      s.append("<g class=\"day ")
          .append(status.toLowerCase(Locale.ROOT))
          .append("\" data-day=\"")
          .append(d.date())
          .append("\" data-status=\"")
          .append(status)
          .append("\"><title>")
          .append(esc(tooltip(d)))
          .append("</title>")
          .append(
              svg(
                  "<rect class=\"hit\" x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\"/>",
                  LEFT + slot * i, TOP, slot, H - TOP - BOTTOM));
      if (d.reconciled().isPresent()) {
        ReconcileReport r = d.reconciled().get();
        if (r.shopifyCount() != null) {
          circle(s, "shopify", x, y.at(r.shopifyCount()), 3);
        }
        circle(
            s,
            d.mismatch() ? "stored mismatch" : "stored",
            x,
            y.at(r.omsCountAfter()),
            d.mismatch() ? 5 : 3);
      }
      s.append("</g>");
      if (i % 5 == (days.size() - 1) % 5) {
        xLabel(s, x, DAY.format(d.date()));
      }
    }
    return s.append("</svg>").toString();
  }

  /** How far behind the store was after each pass of the last 24 hours; failed passes in red. */
  static String lag(String shop, List<ShopHistory.Lag> lag, Instant now, ZoneId zone) {
    Instant from = now.minus(ShopHistory.RECENT);
    double maxMinutes = 5;
    for (ShopHistory.Lag l : lag) {
      maxMinutes = Math.max(maxMinutes, minutes(l.behind()));
    }
    Scale y = Scale.of(maxMinutes);
    StringBuilder s = open("lag", "Sync lag of " + shop + " over the last 24 hours, in minutes");
    yAxis(s, y);
    hourLabels(s, from, zone);
    StringBuilder points = new StringBuilder();
    for (ShopHistory.Lag l : lag) {
      points.append(svg("%.1f,%.1f ", timeX(l.at(), from), y.at(minutes(l.behind()))));
    }
    if (!lag.isEmpty()) {
      s.append("<polyline class=\"lag\" points=\"").append(points.toString().trim()).append("\"/>");
    }
    for (ShopHistory.Lag l : lag) {
      s.append("<g class=\"pass")
          .append(l.ok() ? "" : " failed")
          .append("\"><title>")
          .append(
              esc(
                  HOUR.format(l.at().atZone(zone))
                      + ": "
                      + Format.duration(l.behind())
                      + " behind"
                      + (l.ok() ? "" : ", the pass failed")))
          .append("</title>");
      circle(
          s,
          l.ok() ? "ok" : "failed",
          timeX(l.at(), from),
          y.at(minutes(l.behind())),
          l.ok() ? 1.5 : 3.5);
      s.append("</g>");
    }
    return s.append("</svg>").toString();
  }

  /** Webhook deliveries recorded in each of the last 24 hours. */
  static String intake(String shop, List<ShopHistory.Hour> hours, ZoneId zone) {
    double max = 1;
    for (ShopHistory.Hour h : hours) {
      max = Math.max(max, h.deliveries());
    }
    Scale y = Scale.of(max);
    double slot = (double) (W - LEFT - RIGHT) / Math.max(1, hours.size());
    StringBuilder s = open("intake", "Webhook deliveries per hour of " + shop);
    yAxis(s, y);
    for (int i = 0; i < hours.size(); i++) {
      ShopHistory.Hour h = hours.get(i);
      double top = y.at(h.deliveries());
      s.append("<g class=\"hour\"><title>")
          .append(esc(HOUR.format(h.start().atZone(zone)) + ": " + h.deliveries() + " deliveries"))
          .append("</title>")
          .append(
              svg(
                  "<rect class=\"bar\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\"/>",
                  LEFT + slot * i + 1, top, Math.max(1, slot - 2), H - BOTTOM - top))
          .append("</g>");
      if (h.start().atZone(zone).getHour() % 6 == 0) {
        xLabel(s, LEFT + slot * i, HOUR.format(h.start().atZone(zone)));
      }
    }
    return s.append("</svg>").toString();
  }

  private static double shopifyCount(ShopHistory.Day d) {
    Integer n = d.reconciled().get().shopifyCount();
    return n == null ? Double.NaN : n;
  }

  private static String tooltip(ShopHistory.Day d) {
    if (d.reconciled().isEmpty()) {
      return d.date() + ": not reconciled";
    }
    ReconcileReport r = d.reconciled().get();
    return d.date()
        + ": Shopify "
        + (r.shopifyCount() == null ? "?" : r.shopifyCount())
        + ", stored "
        + r.omsCountAfter()
        + ", "
        + r.status()
        + (r.stillMissing() > 0 ? ", " + r.stillMissing() + " still missing" : "");
  }

  /** A line through the days that have a value, broken where a day has none. */
  private static String line(
      String cls,
      List<ShopHistory.Day> days,
      double slot,
      Scale y,
      ToDoubleFunction<ShopHistory.Day> value) {
    StringBuilder d = new StringBuilder();
    boolean drawing = false;
    for (int i = 0; i < days.size(); i++) {
      double v =
          days.get(i).reconciled().isPresent() ? value.applyAsDouble(days.get(i)) : Double.NaN;
      if (Double.isNaN(v)) {
        drawing = false;
        continue;
      }
      d.append(drawing ? "L" : "M").append(svg("%.1f,%.1f", LEFT + slot * (i + 0.5), y.at(v)));
      drawing = true;
    }
    return d.length() == 0 ? "" : "<path class=\"" + cls + "\" d=\"" + d + "\"/>";
  }

  private static StringBuilder open(String cls, String label) {
    return new StringBuilder()
        .append("<svg class=\"chart ")
        .append(cls)
        .append("\" viewBox=\"0 0 ")
        .append(W)
        .append(' ')
        .append(H)
        .append("\" role=\"img\" aria-label=\"")
        .append(esc(label))
        .append("\">");
  }

  private static void yAxis(StringBuilder s, Scale y) {
    for (double v : new double[] {0, y.max() / 2, y.max()}) {
      double at = y.at(v);
      s.append(
          svg(
              "<line class=\"grid\" x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\"/>"
                  + "<text class=\"y\" x=\"%d\" y=\"%.1f\">%s</text>",
              LEFT, at, W - RIGHT, at, LEFT - 4, at + 4, Format.number(v)));
    }
  }

  /** A label at every sixth whole hour of the shop's day. */
  private static void hourLabels(StringBuilder s, Instant from, ZoneId zone) {
    Instant end = from.plus(ShopHistory.RECENT);
    for (Instant at = from.truncatedTo(ChronoUnit.HOURS).plus(Duration.ofHours(1));
        !at.isAfter(end);
        at = at.plus(Duration.ofHours(1))) {
      if (at.atZone(zone).getHour() % 6 == 0) {
        xLabel(s, timeX(at, from), HOUR.format(at.atZone(zone)));
      }
    }
  }

  private static void xLabel(StringBuilder s, double x, String text) {
    s.append(svg("<text class=\"x\" x=\"%.1f\" y=\"%d\">%s</text>", x, H - BOTTOM + 16, esc(text)));
  }

  private static void circle(StringBuilder s, String cls, double x, double y, double r) {
    s.append(svg("<circle class=\"%s\" cx=\"%.1f\" cy=\"%.1f\" r=\"%.1f\"/>", cls, x, y, r));
  }

  private static String svg(String format, Object... args) {
    return String.format(Locale.ROOT, format, args);
  }

  private static double timeX(Instant at, Instant from) {
    double share = (double) Duration.between(from, at).toMillis() / ShopHistory.RECENT.toMillis();
    return LEFT + (W - LEFT - RIGHT) * Math.max(0, Math.min(1, share));
  }

  private static double minutes(Duration d) {
    return Math.max(0, d.toMillis() / 60_000.0);
  }

  /** A vertical scale from 0 to a round maximum at or above the largest value. */
  private record Scale(double max) {
    static Scale of(double largest) {
      double step = Math.pow(10, Math.floor(Math.log10(largest)));
      for (double m : new double[] {1, 2, 2.5, 5, 10}) {
        if (m * step >= largest) {
          return new Scale(m * step);
        }
      }
      return new Scale(10 * step);
    }

    double at(double v) {
      return TOP + (H - TOP - BOTTOM) * (1 - v / max);
    }
  }
}
