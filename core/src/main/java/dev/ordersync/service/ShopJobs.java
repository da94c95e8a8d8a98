package dev.ordersync.service;

import com.github.kagkarlsson.scheduler.SchedulerClient;
import com.github.kagkarlsson.scheduler.task.Task;
import com.github.kagkarlsson.scheduler.task.helper.CustomTask;
import dev.ordersync.db.Database;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts a shop's jobs on the cluster from anywhere (an install, {@code shops resume}), with no
 * restart: they are rows of the scheduler's table, which whichever instance is free picks. The sync
 * is due at once, so that a new shop's first pass starts within a polling interval.
 */
public final class ShopJobs {
  private static final Logger log = LoggerFactory.getLogger(ShopJobs.class);
  private final SchedulerClient scheduler;
  private final List<CustomTask<Void>> tasks;
  private final Clock wall;

  ShopJobs(Database db, List<CustomTask<Void>> tasks, Clock wall) {
    this.scheduler =
        SchedulerClient.Builder.create(db.dataSource(), new ArrayList<Task<?>>(tasks)).build();
    this.tasks = List.copyOf(tasks);
    this.wall = wall;
  }

  /** The shop's sync, sweep and nightly check, the sync due now; those already there kept. */
  public void start(String shop) {
    for (CustomTask<Void> task : tasks) {
      boolean added = scheduler.scheduleIfNotExists(task.instance(shop), wall.instant());
      if (!added && task.getName().equals(Jobs.SYNC)) {
        try {
          scheduler.reschedule(task.instance(shop), wall.instant());
        } catch (RuntimeException running) {
          // picked by an instance right now: the pass is already under way
          log.debug("{}: its sync is running; not rescheduled", shop);
        }
      }
    }
  }
}
