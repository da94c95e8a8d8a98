package dev.ordersync;

import dev.ordersync.config.AppConfig;
import dev.ordersync.credentials.SecretBox;
import dev.ordersync.credentials.TokenStore;
import dev.ordersync.db.Database;
import dev.ordersync.shopify.StopSignal;

/**
 * The composition root: builds order-sync, once, from a configuration, a database URL and the few
 * things tests replace (the clock, how to wait, where to crash). It only wires, and hands out one
 * door a feature; each feature wires its own parts (the classes beside this one).
 */
public final class App implements AutoCloseable {
  private final AppConfig config;
  private final Database db;
  private final OrdersFeature orders;
  private final ShopsFeature shops;
  private final WebhooksFeature webhooks;
  private final SyncFeature sync;
  private final ReconcileFeature reconcile;
  private final FeedFeature feed;
  private final ServiceFeature service;

  private App(AppConfig config, Database db, AppOptions options) {
    this.config = config;
    this.db = db;
    StopSignal stopSignal = new StopSignal();
    this.orders = new OrdersFeature(db, options.clock());
    // an install starts its shop's jobs through the service, which is built last
    this.shops =
        new ShopsFeature(config, db, options, stopSignal, shop -> service().shopJobs().start(shop));
    this.webhooks = new WebhooksFeature(config, db, options.clock(), orders, shops);
    this.sync = new SyncFeature(config, db, options, orders, shops, webhooks);
    this.reconcile = new ReconcileFeature(config, db, options.clock(), orders, shops, sync);
    this.feed = new FeedFeature(config, db, options, orders);
    this.service =
        new ServiceFeature(
            config, db, options, stopSignal, orders, shops, sync, reconcile, webhooks, feed);
  }

  public static App open(AppConfig config, String jdbcUrl, AppOptions options) {
    return new App(config, Database.open(jdbcUrl, 8), options);
  }

  /**
   * Re-encrypts the tokens stored in the database at {@code jdbcUrl} from {@code oldKey} (null:
   * stored as given) to {@code newKey}; how many. Opens only the database: a whole App refuses to
   * start while the stored tokens need the old key.
   */
  public static int resealTokens(String jdbcUrl, String oldKey, String newKey) {
    try (Database db = Database.open(jdbcUrl, 2)) {
      return new TokenStore(db).reseal(new SecretBox(oldKey), new SecretBox(newKey));
    }
  }

  public AppConfig config() {
    return config;
  }

  public OrdersFeature orders() {
    return orders;
  }

  public ShopsFeature shops() {
    return shops;
  }

  public WebhooksFeature webhooks() {
    return webhooks;
  }

  public SyncFeature sync() {
    return sync;
  }

  public ReconcileFeature reconcile() {
    return reconcile;
  }

  public FeedFeature feed() {
    return feed;
  }

  public ServiceFeature service() {
    return service;
  }

  @Override
  public void close() {
    db.close();
  }
}
