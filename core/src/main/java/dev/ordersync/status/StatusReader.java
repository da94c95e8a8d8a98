package dev.ordersync.status;

import dev.ordersync.config.ShopDomain;
import dev.ordersync.feed.Feed;
import dev.ordersync.feed.FeedStatus;
import dev.ordersync.feed.PushTargets;
import dev.ordersync.orders.FailedOrders;
import dev.ordersync.orders.StoredOrders;
import dev.ordersync.reconcile.ReconcileReport;
import dev.ordersync.reconcile.ReconcileRuns;
import dev.ordersync.shopify.Shops;
import dev.ordersync.shops.ShopStates;
import dev.ordersync.sync.Checkpoints;
import dev.ordersync.sync.PassLog;
import dev.ordersync.webhook.WebhookInbox;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/** Reads what the status page and the metrics show of every shop and of the feed. */
public final class StatusReader {
  /** A pass a minute for a day; more would only crowd the chart. */
  private static final int MAX_PASSES = 1440;

  private final Shops shops;
  private final Checkpoints checkpoints;
  private final PassLog passLog;
  private final StoredOrders storedOrders;
  private final FailedOrders failedOrders;
  private final ReconcileRuns reconcileRuns;
  private final WebhookInbox webhookInbox;
  private final Feed feed;
  private final PushTargets pushTargets;
  private final Function<ShopDomain, Optional<ZoneId>> zones;
  private final Instances instances;
  private final java.util.function.Supplier<Map<String, ShopStates.State>> states;

  public StatusReader(
      Shops shops,
      Checkpoints checkpoints,
      PassLog passLog,
      StoredOrders storedOrders,
      FailedOrders failedOrders,
      ReconcileRuns reconcileRuns,
      WebhookInbox webhookInbox,
      Feed feed,
      PushTargets pushTargets,
      Function<ShopDomain, Optional<ZoneId>> zones,
      Instances instances,
      java.util.function.Supplier<Map<String, ShopStates.State>> states) {
    this.states = states;
    this.shops = shops;
    this.checkpoints = checkpoints;
    this.passLog = passLog;
    this.storedOrders = storedOrders;
    this.failedOrders = failedOrders;
    this.reconcileRuns = reconcileRuns;
    this.webhookInbox = webhookInbox;
    this.feed = feed;
    this.pushTargets = pushTargets;
    this.zones = zones;
    this.instances = instances;
  }

  public FeedStatus feed() {
    return FeedStatus.read(feed, pushTargets);
  }

  /** The instances of {@code run} on this database that are working now. */
  public List<Instances.Instance> instances() {
    return instances.working();
  }

  public List<String> shops() {
    return shops.names().stream().map(ShopDomain::value).toList();
  }

  public List<ShopStatus> read() {
    List<WebhookInbox.Counters> hooks = webhookInbox.counters();
    Map<String, ShopStates.State> states = this.states.get();
    Map<String, Map<String, Long>> byPath = storedOrders.countByFirstPath();
    return shops.names().stream()
        .map(
            shop ->
                new ShopStatus(
                    shop.value(),
                    checkpoints.get(shop, Checkpoints.ORDERS),
                    passLog.recent(shop, 10),
                    byPath.getOrDefault(shop.value(), Map.of()),
                    failedOrders.open(shop.value()),
                    reconcileRuns.history(shop, null, 15),
                    ShopStatus.latestPerDay(reconcileRuns.history(shop, null, 200)),
                    hooks.stream().filter(h -> h.shop().equals(shop.value())).findFirst(),
                    shops.get(shop).client().apiVersions(),
                    states.getOrDefault(shop.value(), ShopStates.State.ACTIVE).word()))
        .toList();
  }

  /**
   * Each shop's last 30 shop-local days (to yesterday), and its last 24 hours before {@code now}.
   */
  public List<ShopHistory> histories(List<String> shops, Instant now) {
    Instant firstHour =
        now.truncatedTo(ChronoUnit.HOURS).minus(ShopHistory.RECENT).plusSeconds(3600);
    Map<String, Map<Instant, Long>> perHour = webhookInbox.recordedPerHour(firstHour);
    return shops.stream()
        .map(
            shop ->
                history(ShopDomain.of(shop), now, firstHour, perHour.getOrDefault(shop, Map.of())))
        .toList();
  }

  private ShopHistory history(
      ShopDomain shop, Instant now, Instant firstHour, Map<Instant, Long> perHour) {
    ZoneId zone = zones.apply(shop).orElse(ZoneOffset.UTC);
    LocalDate today = LocalDate.ofInstant(now, zone);
    LocalDate first = today.minusDays(ShopHistory.DAYS);
    Map<LocalDate, ReconcileReport> newest = new HashMap<>();
    for (ReconcileReport r : reconcileRuns.daysSince(shop, first)) {
      newest.putIfAbsent(r.localDate(), r);
    }
    List<ShopHistory.Day> days = new ArrayList<>();
    for (LocalDate d = first; d.isBefore(today); d = d.plusDays(1)) {
      days.add(new ShopHistory.Day(d, Optional.ofNullable(newest.get(d))));
    }

    Instant since = now.minus(ShopHistory.RECENT);
    List<ShopHistory.Lag> lag =
        passLog.since(shop, since, MAX_PASSES).stream()
            .map(
                p ->
                    new ShopHistory.Lag(
                        p.finishedAt(),
                        Duration.between(p.ok() ? p.windowEnd() : p.windowStart(), p.finishedAt()),
                        p.ok()))
            .toList();

    List<ShopHistory.Hour> intake = new ArrayList<>();
    for (Instant h = firstHour; !h.isAfter(now); h = h.plusSeconds(3600)) {
      intake.add(new ShopHistory.Hour(h, perHour.getOrDefault(h, 0L)));
    }
    return new ShopHistory(zone, days, lag, intake);
  }
}
