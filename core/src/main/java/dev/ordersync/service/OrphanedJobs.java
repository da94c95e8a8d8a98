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
 * tell. Each instance is named host#pid-namespace#pid#start (its start in epoch seconds): unique
 * per process start, so that a container with the same hostname but its own pid namespace never
 * takes another's live jobs for a dead process's, nor a new process that got an old pid. Only a
 * holder of this host and pid namespace whose pid is gone, or now belongs to a process started at
 * another time, is released; anything else is left to the heartbeats.
 */
final class OrphanedJobs {
  /** db-scheduler's picked_by holds 50 characters. */
  private static final int MAX_NAME = 50;

  private OrphanedJobs() {}

  static SchedulerName name() {
    return new SchedulerName.Fixed(nameOf(ProcessHandle.current()));
  }

  static String nameOf(ProcessHandle p) {
    String tail = "#" + pidNamespace() + "#" + p.pid() + "#" + startSeconds(p);
    String host = host();
    return host.substring(0, Math.min(host.length(), MAX_NAME - tail.length())) + tail;
  }

  /** Releases the jobs held by the dead instances of this host and pid namespace; how many. */
  static int release(Database db) {
    String ns = pidNamespace();
    if (ns.equals("?")) {
      return 0; // cannot tell a process of another namespace from a dead one
    }
    String self = nameOf(ProcessHandle.current());
    String prefix = self.substring(0, self.indexOf('#', self.indexOf('#') + 1) + 1);
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
      if (!gone(holder.substring(prefix.length()))) {
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

  /** Whether the process named by "pid#start" is gone: no such pid, or another start. */
  static boolean gone(String pidAndStart) {
    String[] parts = pidAndStart.split("#");
    if (parts.length != 2) {
      return false; // not one of ours: leave it to the heartbeats
    }
    try {
      long pid = Long.parseLong(parts[0]);
      long start = Long.parseLong(parts[1]);
      return ProcessHandle.of(pid).map(p -> !p.isAlive() || startSeconds(p) != start).orElse(true);
    } catch (NumberFormatException e) {
      return false;
    }
  }

  private static long startSeconds(ProcessHandle p) {
    return p.info().startInstant().map(java.time.Instant::getEpochSecond).orElse(0L);
  }

  /** The pid namespace's inode (Linux), "?" where it cannot be read. */
  private static String pidNamespace() {
    try {
      String link =
          java.nio.file.Files.readSymbolicLink(java.nio.file.Path.of("/proc/self/ns/pid"))
              .toString();
      return link.replaceAll("\\D", "");
    } catch (java.io.IOException | UnsupportedOperationException | SecurityException e) {
      return "?";
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
