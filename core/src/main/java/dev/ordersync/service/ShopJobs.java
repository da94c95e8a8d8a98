package dev.ordersync.service;

import com.github.kagkarlsson.scheduler.SchedulerClient;
import com.github.kagkarlsson.scheduler.task.Task;
import com.github.kagkarlsson.scheduler.task.helper.CustomTask;
import dev.ordersync.config.ShopDomain;
import dev.ordersync.db.Database;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts a shop's jobs on the cluster from anywhere (an install, {@code shops resume}), with no
 * restart: they are rows of the scheduler's table, which whichever instance is free picks.
 */
public final class ShopJobs {
  private static final Logger log = LoggerFactory.getLogger(ShopJobs.class);
  private final SchedulerClient scheduler;
  private final Map<CustomTask<Void>, Duration> firstAfter;
  private final Clock wall;

  /**
   * @param firstAfter each task, with how long after a start (wall time) it is first due
   */
  ShopJobs(Database db, Map<CustomTask<Void>, Duration> firstAfter, Clock wall) {
    this.scheduler =
        SchedulerClient.Builder.create(db.dataSource(), new ArrayList<Task<?>>(firstAfter.keySet()))
            .build();
    this.firstAfter = new LinkedHashMap<>(firstAfter);
    this.wall = wall;
  }

  /**
   * The shop's sync, due now (its first pass starts within a polling interval), then its sweep and
   * nightly check, each one interval later: a sweep before the first pass would take every order of
   * the lookback for missing. Jobs already there are kept.
   */
  public void start(ShopDomain shop) {
    for (Map.Entry<CustomTask<Void>, Duration> e : firstAfter.entrySet()) {
      CustomTask<Void> task = e.getKey();
      boolean added =
          scheduler.scheduleIfNotExists(
              task.instance(shop.value()), wall.instant().plus(e.getValue()));
      if (!added && task.getName().equals(Jobs.SYNC)) {
        try {
          scheduler.reschedule(task.instance(shop.value()), wall.instant());
        } catch (RuntimeException running) {
          // picked by an instance right now: the pass is already under way
          log.debug("{}: its sync is running; not rescheduled", shop);
        }
      }
    }
  }
}
