package dev.ordersync.service;

import dev.ordersync.feed.Feed;
import dev.ordersync.feed.FeedStatus;
import dev.ordersync.feed.PushTargets;
import dev.ordersync.orders.FailedOrders;
import dev.ordersync.orders.StoredOrders;
import dev.ordersync.reconcile.ReconcileRuns;
import dev.ordersync.shopify.Shops;
import dev.ordersync.sync.Checkpoints;
import dev.ordersync.sync.PassLog;
import dev.ordersync.webhook.WebhookInbox;
import java.util.List;
import java.util.Map;

/** Reads what the status page and the metrics show of every shop and of the feed. */
public final class StatusReader {
  private final Shops shops;
  private final Checkpoints checkpoints;
  private final PassLog passLog;
  private final StoredOrders storedOrders;
  private final FailedOrders failedOrders;
  private final ReconcileRuns reconcileRuns;
  private final WebhookInbox webhookInbox;
  private final Feed feed;
  private final PushTargets pushTargets;

  public StatusReader(
      Shops shops,
      Checkpoints checkpoints,
      PassLog passLog,
      StoredOrders storedOrders,
      FailedOrders failedOrders,
      ReconcileRuns reconcileRuns,
      WebhookInbox webhookInbox,
      Feed feed,
      PushTargets pushTargets) {
    this.shops = shops;
    this.checkpoints = checkpoints;
    this.passLog = passLog;
    this.storedOrders = storedOrders;
    this.failedOrders = failedOrders;
    this.reconcileRuns = reconcileRuns;
    this.webhookInbox = webhookInbox;
    this.feed = feed;
    this.pushTargets = pushTargets;
  }

  public FeedStatus feed() {
    return FeedStatus.read(feed, pushTargets);
  }

  public List<String> shops() {
    return shops.names();
  }

  public List<ShopStatus> read() {
    List<WebhookInbox.Counters> hooks = webhookInbox.counters();
    Map<String, Map<String, Long>> byPath = storedOrders.countByFirstPath();
    return shops.names().stream()
        .map(
            shop ->
                new ShopStatus(
                    shop,
                    checkpoints.get(shop, Checkpoints.ORDERS),
                    passLog.recent(shop, 10),
                    byPath.getOrDefault(shop, Map.of()),
                    failedOrders.open(shop),
                    reconcileRuns.history(shop, null, 15),
                    ShopStatus.latestPerDay(reconcileRuns.history(shop, null, 200)),
                    hooks.stream().filter(h -> h.shop().equals(shop)).findFirst(),
                    shops.get(shop).client().apiVersions()))
        .toList();
  }
}
