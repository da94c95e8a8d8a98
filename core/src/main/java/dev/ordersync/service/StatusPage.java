package dev.ordersync.service;

import dev.ordersync.feed.FeedStatus;
import dev.ordersync.feed.PushTargets;
import dev.ordersync.orders.FailedOrders;
import dev.ordersync.reconcile.ReconcileReport;
import dev.ordersync.shopify.ShopifyClient;
import dev.ordersync.sync.PassResult;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** The status page: plain server-rendered HTML, one section per shop, then the feed. */
final class StatusPage {
  private StatusPage() {}

  static String render(List<ShopStatus> shops, FeedStatus feed, Clock clock) {
    Instant now = clock.instant();
    StringBuilder h = new StringBuilder();
    h.append("<!doctype html><html><head><meta charset=\"utf-8\"><title>order-sync</title>")
        .append("<meta http-equiv=\"refresh\" content=\"30\"><style>")
        .append("body{font:14px system-ui,sans-serif;margin:2em;color:#222}")
        .append("table{border-collapse:collapse;margin:.5em 0 1.5em}")
        .append("td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}")
        .append("th{background:#f4f4f4}td.l,th.l{text-align:left}")
        .append(
            ".OK{color:#176f2c}.REPAIRED{color:#8a6d00}.MISMATCH,.bad{color:#b00020;"
                + "font-weight:bold}")
        .append("</style></head><body><h1>order-sync</h1>")
        .append("<p>")
        .append(esc(now.toString()))
        .append(" &middot; ")
        .append(shops.size())
        .append(" shop(s)</p>");
    for (ShopStatus s : shops) {
      shop(h, s, now);
    }
    feed(h, feed, now);
    return h.append("</body></html>").toString();
  }

  private static void shop(StringBuilder h, ShopStatus s, Instant now) {
    h.append("<h2>").append(esc(s.shop())).append("</h2><table>");
    row(h, "orders stored", String.valueOf(s.stored()) + " " + esc(s.storedByPath().toString()));
    s.checkpoint()
        .ifPresentOrElse(
            cp -> {
              row(
                  h,
                  "watermark",
                  esc(cp.watermark().toString())
                      + " (lag "
                      + human(Duration.between(cp.watermark(), now))
                      + ")");
              row(
                  h,
                  "last successful pass",
                  cp.lastSuccessAt() == null ? "never" : esc(cp.lastSuccessAt().toString()));
              String failures = String.valueOf(cp.consecutiveFailures());
              row(
                  h,
                  "consecutive failures",
                  cp.consecutiveFailures() > 0
                      ? "<span class=\"bad\">"
                          + failures
                          + "</span>: "
                          + esc(String.valueOf(cp.lastError()))
                      : failures);
            },
            () -> row(h, "watermark", "no pass yet"));
    ShopifyClient.ApiVersions v = s.apiVersions();
    if (v.mismatch()) {
      row(
          h,
          "API version",
          "<span class=\"bad\">asked for "
              + esc(v.requested())
              + ", Shopify answered with "
              + esc(v.served())
              + "</span>: the configured version is "
              + "no longer served; set apiVersion to a supported one");
    }
    if (!v.deprecations().isEmpty()) {
      row(
          h,
          "deprecated fields used",
          "<span class=\"bad\">" + esc(String.join("; ", v.deprecations())) + "</span>");
    }
    s.webhooks()
        .ifPresent(
            w ->
                row(
                    h,
                    "webhooks",
                    "received "
                        + w.received()
                        + ", duplicates "
                        + w.duplicates()
                        + ", pending "
                        + w.pending()
                        + ", last "
                        + (w.lastReceivedAt() == null
                            ? "never"
                            : esc(w.lastReceivedAt().toString()))));
    h.append("</table>");

    h.append(
        "<h3>Each day, counts side by side</h3><table><tr><th class=l>day</th>"
            + "<th>Shopify</th><th>stored</th><th>missing found</th><th>still missing</th>"
            + "<th class=l>status</th><th class=l>checked</th></tr>");
    for (ReconcileReport r : s.recentDays()) {
      h.append("<tr><td class=l>")
          .append(r.localDate())
          .append("</td><td>")
          .append(r.shopifyCount() == null ? "?" : r.shopifyCount())
          .append("</td><td>")
          .append(r.omsCountAfter())
          .append("</td><td>")
          .append(r.missing().size())
          .append("</td><td>")
          .append(r.stillMissing())
          .append("</td><td class=\"l ")
          .append(r.status())
          .append("\">")
          .append(r.status())
          .append("</td><td class=l>")
          .append(esc(r.startedAt().toString()))
          .append("</td></tr>");
    }
    h.append("</table>");

    h.append(
        "<h3>Last reconciliations</h3><table><tr><th class=l>kind</th><th class=l>window"
            + "</th><th>Shopify</th><th>before</th><th>after</th><th>missing</th><th>imported</th>"
            + "<th class=l>status</th><th>API cost</th><th class=l>reason</th></tr>");
    for (ReconcileReport r : s.recentReconciliations()) {
      h.append("<tr><td class=l>")
          .append(r.kind())
          .append("</td><td class=l>")
          .append(esc(r.from() + " – " + r.to()))
          .append("</td><td>")
          .append(r.shopifyCount() == null ? "?" : r.shopifyCount())
          .append("</td><td>")
          .append(r.omsCountBefore())
          .append("</td><td>")
          .append(r.omsCountAfter())
          .append("</td><td>")
          .append(r.missing().size())
          .append("</td><td>")
          .append(r.imported())
          .append("</td><td class=\"l ")
          .append(r.status())
          .append("\">")
          .append(r.status())
          .append("</td><td>")
          .append(r.apiCost())
          .append("</td><td class=l>")
          .append(esc(r.reason() == null ? "" : r.reason()))
          .append("</td></tr>");
    }
    h.append("</table>");

    h.append(
        "<h3>Last passes</h3><table><tr><th class=l>started</th><th class=l>window</th>"
            + "<th>pages</th><th>seen</th><th>written</th><th>failed</th><th>API cost</th>"
            + "<th class=l>outcome</th></tr>");
    for (PassResult p : s.recentPasses()) {
      h.append("<tr><td class=l>")
          .append(esc(p.startedAt().toString()))
          .append("</td>")
          .append("<td class=l>")
          .append(esc(p.windowStart() + " – " + p.windowEnd()))
          .append("</td><td>")
          .append(p.pages())
          .append("</td><td>")
          .append(p.ordersSeen())
          .append("</td><td>")
          .append(p.ordersWritten())
          .append("</td><td>")
          .append(p.ordersFailed())
          .append("</td><td>")
          .append(p.apiCost())
          .append("</td>")
          .append(p.ok() ? "<td class=\"l OK\">OK" : "<td class=\"l bad\">" + esc(p.error()))
          .append("</td></tr>");
    }
    h.append("</table>");

    h.append("<h3>Failed orders (").append(s.failedOrders().size()).append(")</h3>");
    if (!s.failedOrders().isEmpty()) {
      h.append(
          "<table><tr><th class=l>order</th><th class=l>path</th><th>attempts</th>"
              + "<th class=l>last failed</th><th class=l>error</th></tr>");
      for (FailedOrders.Failure f : s.failedOrders()) {
        h.append("<tr><td class=l>")
            .append(esc(f.orderKey()))
            .append("</td><td class=l>")
            .append(f.path())
            .append("</td><td>")
            .append(f.attempts())
            .append("</td><td class=l>")
            .append(esc(f.lastFailedAt().toString()))
            .append("</td><td class=l>")
            .append(esc(f.error()))
            .append("</td></tr>");
      }
      h.append("</table>");
    }
  }

  private static void feed(StringBuilder h, FeedStatus feed, Instant now) {
    h.append("<h2>Feed</h2><table>");
    row(h, "last change", String.valueOf(feed.head()));
    if (feed.prunedThrough() > 0) {
      row(h, "pruned through", String.valueOf(feed.prunedThrough()));
    }
    h.append("</table>");
    if (feed.targets().isEmpty()) {
      return;
    }
    h.append(
        "<h3>Push</h3><table><tr><th class=l>target</th><th>position</th><th>behind</th>"
            + "<th class=l>last acknowledged</th><th class=l>state</th></tr>");
    for (PushTargets.Target t : feed.targets()) {
      String state;
      if (t.stopped()) {
        state = "<td class=\"l bad\">stopped: " + esc(t.stoppedReason());
      } else if (t.attempts() > 0) {
        state =
            "<td class=\"l bad\">"
                + t.attempts()
                + " failed attempt(s), next "
                + esc(String.valueOf(t.nextAttemptAt()))
                + ": "
                + esc(String.valueOf(t.lastError()));
      } else {
        state = "<td class=\"l OK\">OK";
      }
      h.append("<tr><td class=l>")
          .append(esc(t.target()))
          .append("</td><td>")
          .append(t.position())
          .append("</td><td>")
          .append(feed.lag(t))
          .append("</td><td class=l>")
          .append(
              t.acknowledgedAt() == null
                  ? "never"
                  : esc(t.acknowledgedAt().toString())
                      + " ("
                      + human(Duration.between(t.acknowledgedAt(), now))
                      + " ago)")
          .append("</td>")
          .append(state)
          .append("</td></tr>");
    }
    h.append("</table>");
  }

  private static void row(StringBuilder h, String key, String valueHtml) {
    h.append("<tr><th class=l>")
        .append(esc(key))
        .append("</th><td class=l>")
        .append(valueHtml)
        .append("</td></tr>");
  }

  private static String human(Duration d) {
    long s = d.toSeconds();
    return s < 120 ? s + " s" : s < 7200 ? (s / 60) + " min" : (s / 3600) + " h";
  }

  static String esc(String s) {
    return s.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\"", "&quot;");
  }
}
