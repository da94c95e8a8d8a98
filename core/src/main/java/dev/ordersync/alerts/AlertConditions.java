package dev.ordersync.alerts;

import dev.ordersync.config.AppConfig;
import dev.ordersync.feed.FeedStatus;
import dev.ordersync.feed.PushTargets;
import dev.ordersync.reconcile.ReconcileReport;
import dev.ordersync.status.ShopStatus;
import dev.ordersync.status.StatusReader;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Which alert conditions hold now, read from what the status page shows: a reconciliation that
 * ended MISMATCH, a shop failing pass after pass, webhooks silent while the poll stores orders, an
 * order kept in failed_orders too long, the feed's push stopped or stuck.
 */
public final class AlertConditions {
  static final Duration PUSH_STUCK = Duration.ofMinutes(15);

  /** A shop whose deliveries were refused this recently is alerted. */
  static final Duration REFUSALS_RECENT = Duration.ofHours(1);

  private final StatusReader status;
  private final AppConfig.AlertSettings settings;
  private final Clock clock;

  public AlertConditions(StatusReader status, AppConfig.AlertSettings settings, Clock clock) {
    this.status = status;
    this.settings = settings;
    this.clock = clock;
  }

  public List<Alert> now() {
    Instant now = clock.instant();
    List<Alert> out = new ArrayList<>();
    for (ShopStatus s : status.read()) {
      String shop = s.shop();
      s.webhooks()
          .filter(w -> w.lastRefusedAt() != null)
          .filter(w -> w.lastRefusedAt().isAfter(now.minus(REFUSALS_RECENT)))
          .ifPresent(
              w ->
                  out.add(
                      new Alert(
                          "webhooks-refused:" + shop,
                          String.format(
                              "%s: webhook deliveries are being refused (%d so far, the last at "
                                  + "%s: %s); their orders come late, by the poll. See "
                                  + "`order-sync webhooks status` and `order-sync doctor`.",
                              shop,
                              w.refused(),
                              w.lastRefusedAt(),
                              dev.ordersync.webhook.WebhookStats.Outcome.valueOf(w.lastRefusal())
                                  .why()))));
      s.recentReconciliations().stream()
          .findFirst()
          .filter(r -> r.status() == ReconcileReport.Status.MISMATCH)
          .ifPresent(
              r ->
                  out.add(
                      new Alert(
                          "reconcile-mismatch:" + shop,
                          String.format(
                              "%s: the reconciliation of %s ended MISMATCH (Shopify %s, stored "
                                  + "%d, still missing %d%s). See `order-sync report --json`.",
                              shop,
                              r.localDate() != null ? r.localDate() : r.from(),
                              r.shopifyCount() == null ? "?" : r.shopifyCount(),
                              r.omsCountAfter(),
                              r.stillMissing(),
                              r.reason() == null ? "" : "; " + r.reason()))));
      s.checkpoint()
          .filter(cp -> cp.consecutiveFailures() >= settings.failingPasses())
          .ifPresent(
              cp ->
                  out.add(
                      new Alert(
                          "sync-failing:" + shop,
                          shop
                              + ": "
                              + cp.consecutiveFailures()
                              + " sync passes in a row failed; the last: "
                              + cp.lastError())));
      Instant quietSince = now.minus(settings.webhookSilence());
      boolean pollStored =
          s.recentPasses().stream()
              .anyMatch(p -> p.finishedAt().isAfter(quietSince) && p.ordersWritten() > 0);
      s.webhooks()
          .filter(w -> w.lastReceivedAt() != null && w.lastReceivedAt().isBefore(quietSince))
          .filter(w -> pollStored)
          .ifPresent(
              w ->
                  out.add(
                      new Alert(
                          "webhooks-silent:" + shop,
                          shop
                              + ": no webhook since "
                              + w.lastReceivedAt()
                              + " while the poll stores orders; Shopify may have deleted the "
                              + "subscription. Run `order-sync doctor`.")));
      Instant oldFailure = now.minus(settings.failedOrderAge());
      long old =
          s.failedOrders().stream().filter(f -> f.firstFailedAt().isBefore(oldFailure)).count();
      if (old > 0) {
        out.add(
            new Alert(
                "failed-orders:" + shop,
                shop
                    + ": "
                    + old
                    + " order(s) kept in failed_orders for over "
                    + settings.failedOrderAge().toMinutes()
                    + " minutes. See `order-sync orders failed`."));
      }
    }
    FeedStatus feed = status.feed();
    for (PushTargets.Target t : feed.targets()) {
      if (t.stopped()) {
        out.add(
            new Alert(
                "feed-push:" + t.name(),
                "the OMS feed's push stopped: " + t.stoppedReason() + ". Fix it, then restart."));
      } else if (feed.lag(t) > 0
          && t.acknowledgedAt() != null
          && t.acknowledgedAt().isBefore(now.minus(PUSH_STUCK))) {
        out.add(
            new Alert(
                "feed-push:" + t.name(),
                "the OMS feed's push has not advanced since "
                    + t.acknowledgedAt()
                    + " ("
                    + feed.lag(t)
                    + " changes behind): "
                    + (t.lastError() == null ? "no error recorded" : t.lastError())));
      }
    }
    return out;
  }
}
