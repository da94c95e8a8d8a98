package dev.ordersync.reconcile;

import dev.ordersync.shopify.ShopifyOrders;
import dev.ordersync.shopify.Shops;
import dev.ordersync.sync.Settled;
import dev.ordersync.sync.Window;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Reconciliations of windows and of shop-local calendar days (23, 24 or 25 hours), each cut at what
 * Shopify's search has settled: on demand ({@code reconcile}) and at night.
 */
public final class Reconciliations {
  private final Reconciler reconciler;
  private final Shops shops;
  private final ShopZones zones;
  private final Settled settled;
  private final int days;
  private final Clock clock;

  /**
   * @param days how many previous shop-local days "the previous days" are
   */
  public Reconciliations(
      Reconciler reconciler, Shops shops, ShopZones zones, Settled settled, int days, Clock clock) {
    this.reconciler = reconciler;
    this.shops = shops;
    this.zones = zones;
    this.settled = settled;
    this.days = days;
    this.clock = clock;
  }

  /** The shop-local calendar day {@code date} as a half-open UTC window. */
  public static Window day(LocalDate date, ZoneId zone) {
    return new Window(
        date.atStartOfDay(zone).toInstant(), date.plusDays(1).atStartOfDay(zone).toInstant());
  }

  /** One window of every shop. */
  public List<ReconcileReport> window(Window w, ReconcileReport.Kind kind, boolean full) {
    return window(w, kind, full, r -> {});
  }

  /** The same, telling {@code each} of every report as it is made (a progress line). */
  public List<ReconcileReport> window(
      Window w, ReconcileReport.Kind kind, boolean full, Consumer<ReconcileReport> each) {
    Window cut = settled.clamp(w);
    List<ReconcileReport> out = new ArrayList<>();
    for (ShopifyOrders api : shops.all()) {
      shops.admin(api.shop()).requireHistorySince(cut.start(), clock.instant());
      out.add(told(each, reconciler.reconcile(api, cut, kind, null, full)));
    }
    return out;
  }

  /** These shop-local days of every shop, each in its own zone. */
  public List<ReconcileReport> days(
      List<LocalDate> dates, ReconcileReport.Kind kind, boolean full) {
    return days(dates, kind, full, r -> {});
  }

  public List<ReconcileReport> days(
      List<LocalDate> dates,
      ReconcileReport.Kind kind,
      boolean full,
      Consumer<ReconcileReport> each) {
    List<ReconcileReport> out = new ArrayList<>();
    for (ShopifyOrders api : shops.all()) {
      ZoneId zone = zones.zoneOf(api.shop());
      for (LocalDate date : dates) {
        out.add(told(each, day(api, date, zone, kind, full)));
      }
    }
    return out;
  }

  /** The previous days of every shop, newest first, each in its own zone. */
  public List<ReconcileReport> previousDays(ReconcileReport.Kind kind, boolean full) {
    return previousDays(kind, full, r -> {});
  }

  public List<ReconcileReport> previousDays(
      ReconcileReport.Kind kind, boolean full, Consumer<ReconcileReport> each) {
    List<ReconcileReport> out = new ArrayList<>();
    for (ShopifyOrders api : shops.all()) {
      out.addAll(previousDays(api, zones.zoneOf(api.shop()), kind, full, each));
    }
    return out;
  }

  private static ReconcileReport told(Consumer<ReconcileReport> each, ReconcileReport r) {
    each.accept(r);
    return r;
  }

  /** The previous days of one shop, newest first. */
  List<ReconcileReport> previousDays(
      ShopifyOrders api,
      ZoneId zone,
      ReconcileReport.Kind kind,
      boolean full,
      Consumer<ReconcileReport> each) {
    List<ReconcileReport> out = new ArrayList<>();
    LocalDate today = LocalDate.ofInstant(clock.instant(), zone);
    for (int i = 1; i <= days; i++) {
      out.add(told(each, day(api, today.minusDays(i), zone, kind, full)));
    }
    return out;
  }

  private ReconcileReport day(
      ShopifyOrders api, LocalDate date, ZoneId zone, ReconcileReport.Kind kind, boolean full) {
    Window w = settled.clamp(day(date, zone));
    shops.admin(api.shop()).requireHistorySince(w.start(), clock.instant());
    return reconciler.reconcile(api, w, kind, date, full);
  }
}
