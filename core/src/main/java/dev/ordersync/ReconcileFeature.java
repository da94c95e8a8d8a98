package dev.ordersync;

import dev.ordersync.config.AppConfig;
import dev.ordersync.config.ShopConfig;
import dev.ordersync.db.Database;
import dev.ordersync.reconcile.NightlyReconciliation;
import dev.ordersync.reconcile.ReconcileRuns;
import dev.ordersync.reconcile.Reconciler;
import dev.ordersync.reconcile.Reconciliations;
import dev.ordersync.reconcile.ShopZones;
import dev.ordersync.reconcile.Sweep;
import java.time.Clock;

/**
 * Proving the import: each day's counts against Shopify's (nightly and on demand), and the sweep
 * that finds what the poll and the webhooks missed within minutes.
 */
public final class ReconcileFeature {
  private final ReconcileRuns runs;
  private final Reconciler reconciler;
  private final ShopZones zones;
  private final Reconciliations reconciliations;
  private final NightlyReconciliation nightly;
  private final Sweep sweep;

  ReconcileFeature(
      AppConfig config,
      Database db,
      Clock clock,
      OrdersFeature orders,
      ShopsFeature shops,
      SyncFeature sync) {
    this.runs = new ReconcileRuns(db);
    this.reconciler =
        new Reconciler(
            orders.batches(),
            orders.stored(),
            runs,
            sync.bulkWindowImport(),
            config.sync().bulkThreshold(),
            clock);
    this.zones =
        new ShopZones(
            db, s -> config.shop(s).flatMap(ShopConfig::timezone), shops.apis()::findAdmin, clock);
    this.reconciliations =
        new Reconciliations(
            reconciler, shops.apis(), zones, sync.settled(), config.reconcile().days(), clock);
    this.nightly =
        new NightlyReconciliation(
            db, reconciliations, zones, shops.apis(), config.reconcile().nightlyAt(), clock);
    this.sweep =
        new Sweep(
            reconciler,
            sync.pass(),
            shops.apis(),
            sync.settled(),
            sync.checkpoints(),
            config.reconcile().sweepLookback(),
            config.reconcile().sweepInterval(),
            clock);
  }

  public Reconciler reconciler() {
    return reconciler;
  }

  /** The days to reconcile for each shop, in its own time zone (the {@code reconcile} command). */
  public Reconciliations reconciliations() {
    return reconciliations;
  }

  public NightlyReconciliation nightly() {
    return nightly;
  }

  public Sweep sweep() {
    return sweep;
  }

  public ShopZones zones() {
    return zones;
  }

  /** Each reconciliation's result, for the report and the status. */
  public ReconcileRuns runs() {
    return runs;
  }
}
