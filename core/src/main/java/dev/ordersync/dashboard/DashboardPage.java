package dev.ordersync.dashboard;

import static dev.ordersync.dashboard.Html.esc;

import dev.ordersync.feed.FeedStatus;
import dev.ordersync.feed.PushTargets;
import dev.ordersync.orders.FailedOrders;
import dev.ordersync.reconcile.ReconcileReport;
import dev.ordersync.shopify.ShopifyClient;
import dev.ordersync.status.Instances;
import dev.ordersync.status.ShopHistory;
import dev.ordersync.status.ShopStatus;
import dev.ordersync.sync.PassResult;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The dashboard: server-rendered HTML, one section per shop (figures, three charts, failed orders
 * with a retry button, the last reconciliations and passes), then the feed. Everything from outside
 * (order names, errors, shop answers) is escaped; the page runs no script of its own but the
 * refresh in {@code /assets/dashboard.js}.
 */
final class DashboardPage {
  /** Failed orders listed per shop; the rest are counted, and listed by `orders failed`. */
  static final int FAILED_SHOWN = 50;

  private static final int MISSING_SHOWN = 100;

  /** What one rendering shows. {@code formToken} empty: the retry button is off. */
  record View(
      List<ShopStatus> shops,
      List<ShopHistory> histories,
      FeedStatus feed,
      List<Instances.Instance> instances,
      Instant now,
      Optional<String> formToken,
      Optional<Notice> notice) {}

  /** The outcome of a retry, shown once after the form posted it. */
  record Notice(String orderKey, RetryOutcome outcome) {}

  private DashboardPage() {}

  static String render(View v) {
    StringBuilder h = new StringBuilder(32_768);
    h.append("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
        .append("<title>order-sync</title>")
        .append("<link rel=\"stylesheet\" href=\"/assets/dashboard.css\">")
        .append("<script src=\"/assets/dashboard.js\" defer></script></head><body>")
        .append("<header><h1>order-sync</h1><p id=\"updated\" data-refresh-seconds=\"30\">as of ")
        .append(esc(Format.time(v.now())))
        .append("</p><nav>");
    for (int i = 0; i < v.shops().size(); i++) {
      h.append("<a href=\"#shop-").append(i).append("\">");
      h.append(esc(v.shops().get(i).shop())).append("</a> ");
    }
    h.append("<a href=\"#instances\">instances</a> <a href=\"#feed\">feed</a></nav></header>");
    v.notice().ifPresent(n -> notice(h, n));
    h.append("<main id=\"dashboard\">");
    for (int i = 0; i < v.shops().size(); i++) {
      shop(h, i, v.shops().get(i), v.histories().get(i), v);
    }
    instances(h, v.instances());
    feed(h, v.feed(), v.now());
    return h.append("</main></body></html>").toString();
  }

  private static void notice(StringBuilder h, Notice n) {
    h.append("<p class=\"notice ")
        .append(n.outcome().good() ? "good" : "bad")
        .append("\" role=\"status\">")
        .append(esc(n.orderKey()))
        .append(": ")
        .append(esc(n.outcome().text()))
        .append("</p>");
  }

  private static void shop(StringBuilder h, int index, ShopStatus s, ShopHistory hist, View v) {
    Instant now = v.now();
    h.append("<section class=\"shop\" id=\"shop-")
        .append(index)
        .append("\" data-shop=\"")
        .append(esc(s.shop()))
        .append("\"><h2>")
        .append(esc(s.shop()))
        .append("</h2>");
    cards(h, s, hist, now);
    warnings(h, s.apiVersions());

    h.append("<h3>Each day, counts side by side: Shopify and stored (last ")
        .append(ShopHistory.DAYS)
        .append(" days, ")
        .append(esc(hist.zone().getId()))
        .append(")</h3>")
        .append(Charts.days(s.shop(), hist.days()))
        .append(
            "<p class=\"legend\"><span class=\"key shopify\"></span>Shopify "
                + "<span class=\"key stored\"></span>stored "
                + "<span class=\"key mismatch\"></span>mismatch</p>");
    daysTable(h, s.recentDays());

    h.append("<h3>Sync lag, last 24 hours (minutes behind)</h3>")
        .append(Charts.lag(s.shop(), hist.lag(), now, hist.zone()));
    if (hist.lag().isEmpty()) {
      h.append("<p class=\"muted\">no pass in the last 24 hours</p>");
    }
    h.append("<h3>Webhook deliveries per hour, last 24 hours</h3>")
        .append(Charts.intake(s.shop(), hist.intake(), hist.zone()));

    failed(h, s, v.formToken());
    reconciliations(h, s.recentReconciliations());
    passes(h, s.recentPasses());
    h.append("</section>");
  }

  private static void cards(StringBuilder h, ShopStatus s, ShopHistory hist, Instant now) {
    h.append("<dl class=\"cards\">");
    if (!s.active()) {
      // paused by an operator, or uninstalled by the merchant: no call to Shopify
      card(h, "status", s.state(), true);
    }
    card(h, "orders stored", Format.number(s.stored()), false);
    s.checkpoint()
        .ifPresentOrElse(
            cp -> {
              card(
                  h,
                  "sync lag",
                  Format.duration(Duration.between(cp.watermark(), now)),
                  cp.consecutiveFailures() > 0);
              card(
                  h,
                  "consecutive failures",
                  String.valueOf(cp.consecutiveFailures()),
                  cp.consecutiveFailures() > 0);
            },
            () -> card(h, "sync lag", "no pass yet", false));
    long lastHour =
        hist.intake().isEmpty() ? 0 : hist.intake().get(hist.intake().size() - 1).deliveries();
    card(h, "webhooks this hour", Format.number(lastHour), false);
    card(
        h,
        "webhooks pending",
        s.webhooks().map(w -> Format.number(w.pending())).orElse("0"),
        false);
    s.webhooks()
        .filter(w -> w.refused() > 0)
        .ifPresent(
            w ->
                card(
                    h,
                    "webhooks refused",
                    Format.number(w.refused())
                        + " (last "
                        + Format.duration(Duration.between(w.lastRefusedAt(), now))
                        + " ago)",
                    w.lastRefusedAt().isAfter(now.minus(Duration.ofHours(24)))));
    card(h, "failed orders", String.valueOf(s.failedOrders().size()), !s.failedOrders().isEmpty());
    hist.days().stream()
        .reduce((a, b) -> b)
        .flatMap(ShopHistory.Day::reconciled)
        .ifPresent(
            r ->
                card(
                    h,
                    "last day " + r.localDate(),
                    r.status().name(),
                    r.status() == ReconcileReport.Status.MISMATCH));
    h.append("</dl>");
    s.checkpoint()
        .ifPresent(
            cp ->
                h.append("<p class=\"muted\">watermark ")
                    .append(esc(Format.time(cp.watermark())))
                    .append(" &middot; last successful pass ")
                    .append(
                        cp.lastSuccessAt() == null ? "never" : esc(Format.time(cp.lastSuccessAt())))
                    .append("</p>"));
    s.checkpoint()
        .filter(cp -> cp.consecutiveFailures() > 0)
        .ifPresent(
            cp ->
                h.append("<p class=\"bad\">the last pass failed: ")
                    .append(esc(String.valueOf(cp.lastError())))
                    .append("</p>"));
  }

  private static void card(StringBuilder h, String label, String value, boolean bad) {
    h.append("<div class=\"card")
        .append(bad ? " bad" : "")
        .append("\"><dt>")
        .append(esc(label))
        .append("</dt><dd>")
        .append(esc(value))
        .append("</dd></div>");
  }

  private static void warnings(StringBuilder h, ShopifyClient.ApiVersions v) {
    if (v.mismatch()) {
      h.append("<p class=\"bad\">API version: asked for ")
          .append(esc(v.requested()))
          .append(", Shopify answered with ")
          .append(esc(v.served()))
          .append(": the configured version is no longer served; set apiVersion to a supported one")
          .append("</p>");
    }
    if (!v.deprecations().isEmpty()) {
      h.append("<p class=\"bad\">deprecated fields used: ")
          .append(esc(String.join("; ", v.deprecations())))
          .append("</p>");
    }
  }

  private static void daysTable(StringBuilder h, List<ReconcileReport> days) {
    h.append(
        "<div class=\"scroll\"><table><tr><th class=l>day</th><th>Shopify</th><th>stored</th>"
            + "<th>missing found</th><th>still missing</th><th class=l>status</th>"
            + "<th class=l>checked</th></tr>");
    for (ReconcileReport r : days) {
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
          .append("</td>");
      status(h, r.status());
      h.append("<td class=l>").append(esc(Format.time(r.startedAt()))).append("</td></tr>");
    }
    h.append("</table></div>");
  }

  private static void failed(StringBuilder h, ShopStatus s, Optional<String> formToken) {
    List<FailedOrders.Failure> failures = s.failedOrders();
    h.append("<h3>Failed orders (").append(failures.size()).append(")</h3>");
    if (failures.isEmpty()) {
      h.append("<p class=\"muted\">none</p>");
      return;
    }
    if (formToken.isEmpty()) {
      h.append(
          "<p class=\"muted\">Retrying from here needs an API token (http.apiTokens or "
              + "ORDER_SYNC_API_TOKEN); or run <code>order-sync orders retry --all</code>.</p>");
    }
    h.append(
        "<div class=\"scroll\"><table class=\"failed\"><tr><th class=l>order</th>"
            + "<th class=l>path</th><th>attempts</th><th class=l>last failed</th>"
            + "<th class=l>error</th><th></th></tr>");
    for (FailedOrders.Failure f : failures.subList(0, Math.min(FAILED_SHOWN, failures.size()))) {
      h.append("<tr data-order=\"")
          .append(esc(f.orderKey()))
          .append("\"><td class=\"l order\">")
          .append(esc(f.name() == null ? "" : f.name() + " "))
          .append("<span class=\"id\">")
          .append(esc(f.orderKey()))
          .append("</span></td><td class=l>")
          .append(f.path())
          .append("</td><td>")
          .append(f.attempts())
          .append("</td><td class=l>")
          .append(esc(Format.time(f.lastFailedAt())))
          .append("</td><td class=\"l error\">")
          .append(esc(f.error()))
          .append("</td><td>");
      if (formToken.isPresent() && f.orderKey().startsWith("gid://")) {
        h.append("<form method=\"post\" action=\"/failed-orders/retry\">")
            .append("<input type=\"hidden\" name=\"shop\" value=\"")
            .append(esc(s.shop()))
            .append("\"><input type=\"hidden\" name=\"order\" value=\"")
            .append(esc(f.orderKey()))
            .append("\"><input type=\"hidden\" name=\"formToken\" value=\"")
            .append(esc(formToken.get()))
            .append("\"><button type=\"submit\">retry</button></form>");
      }
      h.append("</td></tr>");
    }
    h.append("</table></div>");
    if (failures.size() > FAILED_SHOWN) {
      h.append("<p class=\"muted\">and ")
          .append(failures.size() - FAILED_SHOWN)
          .append(" more: <code>order-sync orders failed</code></p>");
    }
  }

  private static void reconciliations(StringBuilder h, List<ReconcileReport> runs) {
    h.append(
        "<h3>Last reconciliations</h3><div class=\"scroll\"><table><tr><th class=l>kind</th>"
            + "<th class=l>window</th><th>Shopify</th><th>before</th><th>after</th>"
            + "<th>missing</th><th>imported</th><th class=l>status</th><th>API cost</th>"
            + "<th class=l>reason, missing ids</th></tr>");
    for (ReconcileReport r : runs) {
      h.append("<tr><td class=l>")
          .append(r.kind())
          .append("</td><td class=l>")
          .append(esc(r.localDate() != null ? r.localDate().toString() : r.from() + " – " + r.to()))
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
          .append("</td>");
      status(h, r.status());
      h.append("<td>").append(r.apiCost()).append("</td><td class=\"l error\">");
      h.append(esc(r.reason() == null ? "" : r.reason()));
      if (!r.missing().isEmpty()) {
        h.append("<details><summary>")
            .append(r.missing().size())
            .append(" missing id(s)</summary><ul class=\"ids\">");
        for (String id : r.missing().subList(0, Math.min(MISSING_SHOWN, r.missing().size()))) {
          h.append("<li>").append(esc(id)).append("</li>");
        }
        if (r.missing().size() > MISSING_SHOWN) {
          h.append("<li>and ").append(r.missing().size() - MISSING_SHOWN).append(" more</li>");
        }
        h.append("</ul></details>");
      }
      h.append("</td></tr>");
    }
    h.append("</table></div>");
  }

  private static void passes(StringBuilder h, List<PassResult> passes) {
    h.append(
        "<h3>Last passes</h3><div class=\"scroll\"><table><tr><th class=l>started</th>"
            + "<th class=l>window</th><th>pages</th><th>seen</th><th>written</th><th>failed</th>"
            + "<th>API cost</th><th class=l>outcome</th></tr>");
    for (PassResult p : passes) {
      h.append("<tr><td class=l>")
          .append(esc(Format.time(p.startedAt())))
          .append("</td><td class=l>")
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
          .append(p.ok() ? "<td class=\"l OK\">OK" : "<td class=\"l bad error\">" + esc(p.error()))
          .append("</td></tr>");
    }
    h.append("</table></div>");
  }

  private static void status(StringBuilder h, ReconcileReport.Status status) {
    h.append("<td class=\"l ").append(status).append("\">").append(status).append("</td>");
  }

  /** Which instance of run is working on what, from the scheduler's table. */
  private static void instances(StringBuilder h, List<Instances.Instance> instances) {
    h.append("<section id=\"instances\"><h2>Instances at work</h2>");
    if (instances.isEmpty()) {
      h.append("<p class=\"muted\">no instance is running a job at this moment</p></section>");
      return;
    }
    h.append(
        "<div class=\"scroll\"><table class=\"instances\"><tr><th class=l>instance</th>"
            + "<th>shops' jobs</th><th class=l>running</th><th class=l>last heartbeat</th></tr>");
    for (Instances.Instance i : instances) {
      long shopJobs = i.running().stream().filter(j -> j.shop() != null).count();
      h.append("<tr><td class=l>")
          .append(esc(i.name()))
          .append("</td><td>")
          .append(shopJobs)
          .append("</td><td class=\"l error\">");
      for (Instances.Job j : i.running()) {
        h.append(esc(j.shop() == null ? j.task() : j.task() + " " + j.shop())).append("<br>");
      }
      h.append("</td><td class=l>")
          .append(i.lastHeartbeat() == null ? "not yet" : esc(Format.time(i.lastHeartbeat())))
          .append("</td></tr>");
    }
    h.append("</table></div></section>");
  }

  private static void feed(StringBuilder h, FeedStatus feed, Instant now) {
    h.append("<section id=\"feed\"><h2>Feed</h2><dl class=\"cards\">");
    card(h, "last change", String.valueOf(feed.head()), false);
    if (feed.prunedThrough() > 0) {
      card(h, "pruned through", String.valueOf(feed.prunedThrough()), false);
    }
    h.append("</dl>");
    if (!feed.targets().isEmpty()) {
      h.append(
          "<h3>Push</h3><div class=\"scroll\"><table><tr><th class=l>target</th>"
              + "<th>position</th><th>behind</th><th class=l>last acknowledged</th>"
              + "<th class=l>state</th></tr>");
      for (PushTargets.Target t : feed.targets()) {
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
                    : esc(Format.time(t.acknowledgedAt()))
                        + " ("
                        + Format.duration(Duration.between(t.acknowledgedAt(), now))
                        + " ago)")
            .append("</td>");
        pushState(h, t);
        h.append("</tr>");
      }
      h.append("</table></div>");
    }
    h.append("</section>");
  }

  private static void pushState(StringBuilder h, PushTargets.Target t) {
    if (t.stopped()) {
      h.append("<td class=\"l bad\">stopped: ").append(esc(t.stoppedReason()));
    } else if (t.attempts() > 0) {
      h.append("<td class=\"l bad\">")
          .append(t.attempts())
          .append(" failed attempt(s), next ")
          .append(esc(String.valueOf(t.nextAttemptAt())))
          .append(": ")
          .append(esc(String.valueOf(t.lastError())));
    } else {
      h.append("<td class=\"l OK\">OK");
    }
    h.append("</td>");
  }
}
