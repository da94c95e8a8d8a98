package dev.ordersync.reconcile;

import dev.ordersync.config.ShopDomain;
import dev.ordersync.db.Database;
import dev.ordersync.shopify.ShopifyException;
import dev.ordersync.shopify.ShopifyOrders;
import dev.ordersync.shopify.Shops;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The seed's nightly job: each shop's previous shop-local days, once a shop-local day, at or after
 * {@code nightlyAt} in the shop's zone. Asked often ({@link #runIfDue}), it runs when due and
 * remembers the day it ran for in the database, so a restart, a service down at midnight or a zone
 * learnt only later neither skips a night nor runs one twice.
 */
public final class NightlyReconciliation {
  private static final Logger log = LoggerFactory.getLogger(NightlyReconciliation.class);

  private final Database db;
  private final Reconciliations reconciliations;
  private final ShopZones zones;
  private final Shops shops;
  private final LocalTime nightlyAt;
  private final Clock clock;

  public NightlyReconciliation(
      Database db,
      Reconciliations reconciliations,
      ShopZones zones,
      Shops shops,
      LocalTime nightlyAt,
      Clock clock) {
    this.db = db;
    this.reconciliations = reconciliations;
    this.zones = zones;
    this.shops = shops;
    this.nightlyAt = nightlyAt;
    this.clock = clock;
  }

  /** Every shop's nightly reconciliation now, due or not. */
  public List<ReconcileReport> everyShop() {
    List<ReconcileReport> out = new ArrayList<>();
    for (ShopifyOrders api : shops.all()) {
      out.addAll(
          reconciliations.previousDays(
              api, zones.zoneOf(api.shop()), ReconcileReport.Kind.NIGHTLY, false, r -> {}));
    }
    return out;
  }

  /** The same by the shop's name: the service runs each shop's check as a job of its own. */
  public List<ReconcileReport> runIfDue(ShopDomain shop) {
    return runIfDue(shops.get(shop));
  }

  /** Runs the shop's nightly reconciliation if it is due; the reports, or none. */
  public List<ReconcileReport> runIfDue(ShopifyOrders api) {
    ShopDomain shop = api.shop();
    ZoneId zone;
    try {
      zone = zones.zoneOf(shop);
    } catch (ShopifyException e) {
      log.warn(
          "{}: the nightly reconciliation waits: the shop's time zone is not known yet and "
              + "Shopify cannot be asked ({})",
          shop,
          e.detail());
      return List.of();
    }
    Instant now = clock.instant();
    LocalDate today = LocalDate.ofInstant(now, zone);
    if (now.isBefore(today.atTime(nightlyAt).atZone(zone).toInstant())) {
      return List.of();
    }
    LocalDate done = doneFor(shop);
    if (done != null && !done.isBefore(today)) {
      return List.of();
    }
    List<ReconcileReport> reports =
        reconciliations.previousDays(api, zone, ReconcileReport.Kind.NIGHTLY, false, r -> {});
    if (reports.stream().noneMatch(NightlyReconciliation::unfinished)) {
      markDone(shop, today);
    }
    return reports;
  }

  private static boolean unfinished(ReconcileReport r) {
    return r.reason() != null && r.reason().startsWith("could not finish");
  }

  private LocalDate doneFor(ShopDomain shop) {
    return db.read(
        h ->
            h.createQuery(
                    "SELECT nightly_done_for FROM shops WHERE domain = :shop "
                        + "AND nightly_done_for IS NOT NULL")
                .bind("shop", shop.value())
                .mapTo(LocalDate.class)
                .findOne()
                .orElse(null));
  }

  private void markDone(ShopDomain shop, LocalDate day) {
    db.inTransaction(
        h ->
            h.createUpdate(
                    """
            MERGE INTO shops t USING (VALUES (CAST(:shop AS VARCHAR))) AS v(domain)
            ON t.domain = v.domain
            WHEN MATCHED THEN UPDATE SET nightly_done_for = CAST(:day AS DATE)
            WHEN NOT MATCHED THEN INSERT (domain, nightly_done_for)
              VALUES (v.domain, CAST(:day AS DATE))
            """)
                .bind("shop", shop.value())
                .bind("day", day)
                .execute());
  }
}
