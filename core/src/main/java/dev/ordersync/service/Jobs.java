package dev.ordersync.service;

import com.github.kagkarlsson.scheduler.ScheduledExecution;
import com.github.kagkarlsson.scheduler.SchedulerClient;
import com.github.kagkarlsson.scheduler.task.CompletionHandler;
import com.github.kagkarlsson.scheduler.task.helper.CustomTask;
import com.github.kagkarlsson.scheduler.task.helper.RecurringTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.github.kagkarlsson.scheduler.task.schedule.FixedDelay;
import com.github.kagkarlsson.scheduler.task.schedule.Schedule;
import dev.ordersync.alerts.Alerts;
import dev.ordersync.config.ShopDomain;
import dev.ordersync.feed.Feed;
import dev.ordersync.feed.FeedPush;
import dev.ordersync.reconcile.NightlyReconciliation;
import dev.ordersync.reconcile.Sweep;
import dev.ordersync.shops.ShopStates;
import dev.ordersync.sync.Sync;
import dev.ordersync.time.TimeScale;
import dev.ordersync.webhook.WebhookRetention;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The service's recurring jobs, for db-scheduler: each shop's sync, sweep and nightly check, and
 * the feed's push, its retention, the webhook deliveries' retention and the alerts. Intervals are
 * order-sync's own time; db-scheduler waits on the wall clock.
 */
public final class Jobs {
  private static final Logger log = LoggerFactory.getLogger(Jobs.class);

  static final String SYNC = "sync-shop";
  static final String SWEEP = "sweep-shop";
  static final String NIGHTLY = "nightly-shop";

  /** How often the service asks whether a shop's nightly reconciliation is due. */
  static final Duration NIGHTLY_CHECK = Duration.ofMinutes(5);

  /** How often the push looks for changes the receiver does not have yet. */
  static final Duration PUSH_INTERVAL = Duration.ofSeconds(1);

  static final Duration PRUNE_INTERVAL = Duration.ofHours(1);

  /** The least db-scheduler allows. */
  static final int MISSED_HEARTBEATS = 4;

  private final Sync sync;
  private final Sweep sweep;
  private final NightlyReconciliation nightly;
  private final Duration syncInterval;
  private final Duration sweepInterval;
  private final Feed feed;
  private final WebhookRetention webhookRetention;
  private final Optional<FeedPush> push;
  private final Optional<Alerts> alerts;
  private final TimeScale time;
  private final RunningJobs running;
  private final List<CustomTask<Void>> shopTasks;

  /** Each shop's state; null for a shop not served (any more). */
  private final Function<ShopDomain, ShopStates.State> stateOf;

  /** How often the alert conditions are read. */
  static final Duration ALERT_INTERVAL = Duration.ofMinutes(1);

  public Jobs(
      Sync sync,
      Sweep sweep,
      NightlyReconciliation nightly,
      Duration syncInterval,
      Duration sweepInterval,
      Feed feed,
      WebhookRetention webhookRetention,
      Optional<FeedPush> push,
      Optional<Alerts> alerts,
      TimeScale time,
      RunningJobs running,
      Function<ShopDomain, ShopStates.State> stateOf) {
    this.sync = sync;
    this.sweep = sweep;
    this.nightly = nightly;
    this.syncInterval = syncInterval;
    this.sweepInterval = sweepInterval;
    this.feed = feed;
    this.webhookRetention = webhookRetention;
    this.push = push;
    this.alerts = alerts;
    this.time = time;
    this.running = running;
    this.stateOf = stateOf;
    this.shopTasks =
        List.of(
            // each pass, then a count of the hour before its watermark (Sweep.checkAfter)
            perShop(SYNC, syncInterval, shop -> sweep.checkAfter(sync.once(shop))),
            perShop(SWEEP, sweepInterval, sweep::run),
            // runs each shop's nightly reconciliation once a shop-local day, at or after
            // reconcile.nightlyAt in the shop's zone, even when the zone is learnt late
            perShop(NIGHTLY, NIGHTLY_CHECK, nightly::runIfDue));
  }

  /**
   * Each shop's sync, sweep and nightly check: one task instance per shop and kind, persisted, so
   * that any instance may pick it and none runs two of one at once (db-scheduler's pick is the
   * lock), and so that a slow or throttled shop delays no other.
   */
  List<CustomTask<Void>> shopTasks() {
    return shopTasks;
  }

  private CustomTask<Void> perShop(String name, Duration every, Consumer<ShopDomain> work) {
    Schedule schedule = FixedDelay.of(time.toWall(every));
    return Tasks.custom(name, Void.class)
        .onFailureReschedule(schedule)
        .onDeadExecutionRevive()
        .execute(
            (instance, ctx) -> {
              ShopDomain shop = ShopDomain.of(instance.getId());
              ShopStates.State state = stateOf.apply(shop);
              if (state == null
                  || state == ShopStates.State.UNINSTALLED
                  || state == ShopStates.State.REMOVED) {
                // an install or `shops resume` starts the jobs again
                log.info(
                    "{}: {}: its {} job ends",
                    shop,
                    state == null ? "not served" : state.word(),
                    name);
                return new CompletionHandler.OnCompleteRemove<>();
              }
              if (state == ShopStates.State.ACTIVE) {
                running.during(name, shop, () -> work.accept(shop));
              }
              return new CompletionHandler.OnCompleteReschedule<>(schedule);
            });
  }

  /** The jobs of the whole cluster, each run by one instance at a time. */
  List<RecurringTask<Void>> clusterTasks() {
    List<RecurringTask<Void>> tasks =
        new ArrayList<>(
            List.of(
                Tasks.recurring("feed-retention", FixedDelay.of(time.toWall(PRUNE_INTERVAL)))
                    .execute((instance, ctx) -> feed.prune()),
                Tasks.recurring("webhook-retention", FixedDelay.of(time.toWall(PRUNE_INTERVAL)))
                    .execute((instance, ctx) -> webhookRetention.prune())));
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

  /**
   * Schedules the jobs of each configured shop that has none yet (a shop added to the
   * configuration), and unschedules those of shops no longer configured; the others' schedules and
   * state are left as they are. A removed shop's job running elsewhere at that moment is left to
   * the next start.
   */
  void scheduleShops(SchedulerClient scheduler, List<ShopDomain> shops) {
    for (CustomTask<Void> task : shopTasks) {
      for (ShopDomain shop : shops) {
        scheduler.scheduleIfNotExists(task.schedulableInstance(shop.value()));
      }
      for (ScheduledExecution<Object> e : scheduler.getScheduledExecutionsForTask(task.getName())) {
        String shop = e.getTaskInstance().getId();
        if (shops.stream().noneMatch(s -> s.value().equals(shop))) {
          try {
            scheduler.cancel(e.getTaskInstance());
            log.info("{}: no longer configured: its {} job is unscheduled", shop, task.getName());
          } catch (RuntimeException running) {
            log.info(
                "{}: no longer configured; its {} job is running elsewhere and is unscheduled at "
                    + "the next start",
                shop,
                task.getName());
          }
        }
      }
    }
  }

  /** Starts shops' jobs on the cluster without a running scheduler (installs, resumes). */
  public ShopJobs shopJobs(dev.ordersync.db.Database db, java.time.Clock wall) {
    Map<CustomTask<Void>, Duration> firstAfter = new java.util.LinkedHashMap<>();
    firstAfter.put(shopTasks.get(0), Duration.ZERO);
    firstAfter.put(shopTasks.get(1), time.toWall(sweepInterval));
    firstAfter.put(shopTasks.get(2), time.toWall(NIGHTLY_CHECK));
    return new ShopJobs(db, firstAfter, wall);
  }

  /** What this instance is running now. */
  RunningJobs running() {
    return running;
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
   * database) is dead after {@link #MISSED_HEARTBEATS} missed heartbeats (80 s) and taken over at
   * the next check for dead executions (at most one heartbeat later): within 2 minutes, not
   * db-scheduler's default of 5-minute beats.
   */
  Duration heartbeatInterval() {
    return time.toWall(Duration.ofSeconds(20), Duration.ofSeconds(1), Duration.ofSeconds(20));
  }
}
