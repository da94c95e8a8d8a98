package dev.ordersync;

import dev.ordersync.config.AppConfig;
import dev.ordersync.db.Database;
import dev.ordersync.feed.Feed;
import dev.ordersync.feed.FeedPush;
import dev.ordersync.feed.PushTargets;
import dev.ordersync.shopify.Backoff;
import java.time.Duration;
import java.util.Optional;
import java.util.Random;

/** The OMS feed: every change to a stored order, read by cursor or pushed to the OMS. */
public final class FeedFeature {
  private final AppConfig config;
  private final AppOptions options;
  private final Feed changes;
  private final PushTargets pushTargets;

  FeedFeature(AppConfig config, Database db, AppOptions options, OrdersFeature orders) {
    this.config = config;
    this.options = options;
    this.changes =
        new Feed(
            db, orders.changeLog(), orders.documents(), config.feed().retention(), options.clock());
    this.pushTargets = new PushTargets(db);
  }

  /** The changes, in order, from a cursor. */
  public Feed changes() {
    return changes;
  }

  public PushTargets pushTargets() {
    return pushTargets;
  }

  /** The feed's push, when {@code feed.push} is configured. */
  public Optional<FeedPush> push() {
    return config
        .feed()
        .push()
        .map(
            settings ->
                new FeedPush(
                    changes,
                    pushTargets,
                    settings,
                    OutboundHttp.client(config),
                    new Backoff(
                        Duration.ofSeconds(1),
                        Duration.ofMinutes(5),
                        Integer.MAX_VALUE,
                        new Random(options.seed())),
                    options.clock()));
  }
}
