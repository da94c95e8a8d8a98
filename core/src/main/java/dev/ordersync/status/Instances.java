package dev.ordersync.status;

import dev.ordersync.db.Database;
import dev.ordersync.db.Times;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The instances of {@code run} sharing this database, as the scheduler's table shows them: what
 * each is running now and when it last said it was alive. An instance with nothing running has no
 * row there, so only working instances are seen.
 */
public final class Instances {
  /** One instance (host#pid) and the jobs it holds. */
  public record Instance(String name, List<Job> running, Instant lastHeartbeat) {}

  /** A job held: its task (sync-shop, feed-push, ...) and its shop, when it is a shop's. */
  public record Job(String task, String shop, Instant since) {}

  private final Database db;

  public Instances(Database db) {
    this.db = db;
  }

  public List<Instance> working() {
    record Row(String by, String task, String id, Instant since, Instant beat) {}
    List<Row> rows =
        db.read(
            h ->
                h.createQuery(
                        "SELECT picked_by, task_name, task_instance, execution_time, last_heartbeat "
                            + "FROM scheduled_tasks WHERE picked ORDER BY picked_by, execution_time")
                    .map(
                        (rs, ctx) ->
                            new Row(
                                rs.getString("picked_by"),
                                rs.getString("task_name"),
                                rs.getString("task_instance"),
                                Times.instant(rs, "execution_time"),
                                Times.instant(rs, "last_heartbeat")))
                    .list());
    Map<String, List<Row>> byInstance = new LinkedHashMap<>();
    for (Row r : rows) {
      byInstance.computeIfAbsent(String.valueOf(r.by()), k -> new ArrayList<>()).add(r);
    }
    List<Instance> out = new ArrayList<>();
    byInstance.forEach(
        (name, held) -> {
          Instant beat = null;
          List<Job> jobs = new ArrayList<>();
          for (Row r : held) {
            jobs.add(new Job(r.task(), r.task().endsWith("-shop") ? r.id() : null, r.since()));
            if (r.beat() != null && (beat == null || r.beat().isAfter(beat))) {
              beat = r.beat();
            }
          }
          out.add(new Instance(name, jobs, beat));
        });
    return out;
  }
}
