package dev.ordersync.service;

import com.github.kagkarlsson.scheduler.task.helper.RecurringTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.github.kagkarlsson.scheduler.task.schedule.FixedDelay;
import dev.ordersync.alerts.Alerts;
import dev.ordersync.feed.Feed;
import dev.ordersync.feed.FeedPush;
import dev.ordersync.reconcile.NightlyReconciliation;
import dev.ordersync.reconcile.Sweep;
import dev.ordersync.sync.Sync;
import dev.ordersync.time.TimeScale;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The service's recurring jobs, for db-scheduler: the sync, the sweep, the nightly check, the
 * feed's push and its retention. Intervals are order-sync's own time; db-scheduler waits on the
 * wall clock.
 */
public final class Jobs {
  /** How often the service asks whether a shop's nightly reconciliation is due. */
  static final Duration NIGHTLY_CHECK = Duration.ofMinutes(5);

  /** How often the push looks for changes the receiver does not have yet. */
  static final Duration PUSH_INTERVAL = Duration.ofSeconds(1);

  static final Duration PRUNE_INTERVAL = Duration.ofHours(1);

  private final Sync sync;
  private final Sweep sweep;
  private final NightlyReconciliation nightly;
  private final Duration syncInterval;
  private final Duration sweepInterval;
  private final Feed feed;
  private final Optional<FeedPush> push;
  private final Optional<Alerts> alerts;
  private final TimeScale time;

  /** How often the alert conditions are read. */
  static final Duration ALERT_INTERVAL = Duration.ofMinutes(1);

  public Jobs(
      Sync sync,
      Sweep sweep,
      NightlyReconciliation nightly,
      Duration syncInterval,
      Duration sweepInterval,
      Feed feed,
      Optional<FeedPush> push,
      Optional<Alerts> alerts,
      TimeScale time) {
    this.sync = sync;
    this.sweep = sweep;
    this.nightly = nightly;
    this.syncInterval = syncInterval;
    this.sweepInterval = sweepInterval;
    this.feed = feed;
    this.push = push;
    this.alerts = alerts;
    this.time = time;
  }

  List<RecurringTask<Void>> tasks() {
    List<RecurringTask<Void>> tasks =
        new ArrayList<>(
            List.of(
                Tasks.recurring("sync", FixedDelay.of(time.toWall(syncInterval)))
                    .execute((instance, ctx) -> sync.once()),
                Tasks.recurring("sweep", FixedDelay.of(time.toWall(sweepInterval)))
                    .execute((instance, ctx) -> sweep.run()),
                // runs each shop's nightly reconciliation once a shop-local day, at or after
                // reconcile.nightlyAt in the shop's zone, even when the zone is learnt late
                Tasks.recurring("nightly", FixedDelay.of(time.toWall(NIGHTLY_CHECK)))
                    .execute((instance, ctx) -> nightly.whereDue()),
                Tasks.recurring("feed-retention", FixedDelay.of(time.toWall(PRUNE_INTERVAL)))
                    .execute((instance, ctx) -> feed.prune())));
    push.ifPresent(
        p ->
            tasks.add(
                Tasks.recurring(
                        "feed-push",
                        FixedDelay.of(
                            time.toWall(PUSH_INTERVAL, Duration.ofMillis(100), PUSH_INTERVAL)))
                    .execute((instance, ctx) -> p.pushDue())));
    alerts.ifPresent(
        a ->
            tasks.add(
                Tasks.recurring("alerts", FixedDelay.of(time.toWall(ALERT_INTERVAL)))
                    .execute((instance, ctx) -> a.check())));
    return tasks;
  }

  /** Before the jobs start: a push stopped by a refused batch tries it again. */
  void starting() {
    push.ifPresent(FeedPush::resume);
  }

  /** How often db-scheduler looks for due work: 2 s, or less when time runs faster. */
  Duration pollingInterval() {
    return time.toWall(Duration.ofSeconds(2), Duration.ofMillis(200), Duration.ofSeconds(2));
  }

  /**
   * How often an instance says it is alive. A job picked by an instance that died (SIGKILL, lost
   * database) is taken over after 4 missed heartbeats: 2 minutes, not db-scheduler's default of
   * 5-minute beats.
   */
  Duration heartbeatInterval() {
    return time.toWall(Duration.ofSeconds(30), Duration.ofSeconds(1), Duration.ofSeconds(30));
  }
}
