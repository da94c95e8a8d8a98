package dev.ordersync.status;

import dev.ordersync.orders.FailedOrders;
import dev.ordersync.reconcile.ReconcileReport;
import dev.ordersync.shopify.ShopifyClient;
import dev.ordersync.sync.Checkpoints;
import dev.ordersync.sync.PassResult;
import dev.ordersync.webhook.WebhookInbox;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** What the status page and the metrics show of one shop, read from the store at one moment. */
public record ShopStatus(
    String shop,
    Optional<Checkpoints.Checkpoint> checkpoint,
    List<PassResult> recentPasses,
    Map<String, Long> storedByPath,
    List<FailedOrders.Failure> failedOrders,
    List<ReconcileReport> recentReconciliations,
    List<ReconcileReport> recentDays,
    Optional<WebhookInbox.Counters> webhooks,
    ShopifyClient.ApiVersions apiVersions,
    String state) {

  /** Whether its jobs call Shopify (not paused, uninstalled or removed). */
  public boolean active() {
    return state.equals("active");
  }

  public long stored() {
    return storedByPath.values().stream().mapToLong(Long::longValue).sum();
  }

  /** The newest reconciliation of each shop-local day, newest day first (at most 7). */
  static List<ReconcileReport> latestPerDay(List<ReconcileReport> history) {
    Map<java.time.LocalDate, ReconcileReport> days = new LinkedHashMap<>();
    for (ReconcileReport r : history) {
      if (r.localDate() != null) {
        days.putIfAbsent(r.localDate(), r);
      }
    }
    return days.values().stream()
        .sorted((a, b) -> b.localDate().compareTo(a.localDate()))
        .limit(7)
        .toList();
  }
}
