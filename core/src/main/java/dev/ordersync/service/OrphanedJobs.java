package dev.ordersync.service;

import com.github.kagkarlsson.scheduler.SchedulerName;
import dev.ordersync.db.Database;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/**
 * Jobs held by a {@code run} of this machine that no longer exists (killed with SIGKILL, or the
 * machine restarted): released when the next {@code run} starts, so the sync and the push go on at
 * once, not after the missed heartbeats (2 minutes) that db-scheduler waits for when it cannot
 * tell. Each instance is named host#pid; a pid still alive is left to the heartbeats.
 */
final class OrphanedJobs {
  private OrphanedJobs() {}

  static SchedulerName name() {
    return new SchedulerName.Fixed(host() + "#" + ProcessHandle.current().pid());
  }

  /** Releases the jobs held by the dead instances of this host; how many. */
  static int release(Database db) {
    String prefix = host() + "#";
    List<String> holders =
        db.read(
            h ->
                h.createQuery(
                        "SELECT DISTINCT picked_by FROM scheduled_tasks WHERE picked "
                            + "AND picked_by LIKE :prefix")
                    .bind("prefix", prefix.replace("%", "\\%").replace("_", "\\_") + "%")
                    .mapTo(String.class)
                    .list());
    int released = 0;
    for (String holder : holders) {
      if (alive(holder.substring(prefix.length()))) {
        continue;
      }
      released +=
          db.inTransaction(
              h ->
                  h.createUpdate(
                          "UPDATE scheduled_tasks SET picked = FALSE, picked_by = NULL, "
                              + "last_heartbeat = NULL, version = version + 1 "
                              + "WHERE picked AND picked_by = :holder")
                      .bind("holder", holder)
                      .execute());
    }
    return released;
  }

  private static boolean alive(String pid) {
    try {
      return ProcessHandle.of(Long.parseLong(pid)).map(ProcessHandle::isAlive).orElse(false);
    } catch (NumberFormatException e) {
      return true; // not one of ours: leave it to the heartbeats
    }
  }

  private static String host() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return "localhost";
    }
  }
}
