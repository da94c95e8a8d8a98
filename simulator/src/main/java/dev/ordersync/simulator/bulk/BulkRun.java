package dev.ordersync.simulator.bulk;

import dev.ordersync.simulator.store.SimOrder;
import graphql.language.Document;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * One bulk query operation: the orders it found when it was created, and how far Shopify's
 * background work on them has come at a given instant (objects processed at a steady rate).
 */
final class BulkRun {
  final long number;
  final String query;
  final Document document;
  final boolean groupObjects;
  final Instant createdAt;
  final List<SimOrder> roots;
  final long objects;
  private final double objectsPerSecond;
  private final Failure failure;
  private volatile Instant canceledAt;

  /** A failure planned for this run: it stops with {@code errorCode} at {@code fraction}. */
  record Failure(String errorCode, double fraction) {}

  /** What the run looks like at one instant. */
  record State(
      String status,
      String errorCode,
      Instant completedAt,
      long objectCount,
      long rootObjectCount,
      long rootsInFile,
      boolean partial) {
    boolean running() {
      return status.equals("CREATED") || status.equals("RUNNING") || status.equals("CANCELING");
    }
  }

  BulkRun(
      long number,
      String query,
      Document document,
      boolean groupObjects,
      Instant createdAt,
      List<SimOrder> roots,
      long objects,
      double objectsPerSecond,
      Failure failure) {
    this.number = number;
    this.query = query;
    this.document = document;
    this.groupObjects = groupObjects;
    this.createdAt = createdAt;
    this.roots = roots;
    this.objects = objects;
    this.objectsPerSecond = objectsPerSecond;
    this.failure = failure;
  }

  void cancel(Instant at) {
    if (canceledAt == null && state(at).running()) {
      canceledAt = at;
    }
  }

  State state(Instant now) {
    Instant doneAt = after(objects);
    if (failure != null) {
      long failedObjects = (long) (objects * failure.fraction());
      Instant failedAt = after(failedObjects);
      if (!now.isBefore(failedAt) && (canceledAt == null || failedAt.isBefore(canceledAt))) {
        long roots = (long) (this.roots.size() * failure.fraction());
        return expired(
            new State("FAILED", failure.errorCode(), failedAt, failedObjects, roots, roots, true),
            now);
      }
    }
    if (canceledAt != null && canceledAt.isBefore(doneAt)) {
      long done = processed(canceledAt);
      return new State("CANCELED", null, canceledAt, done, rootsOf(done), 0, false);
    }
    if (!now.isBefore(doneAt)) {
      return expired(
          new State("COMPLETED", null, doneAt, objects, roots.size(), roots.size(), false), now);
    }
    long done = processed(now);
    return new State(done == 0 ? "CREATED" : "RUNNING", null, null, done, rootsOf(done), 0, false);
  }

  /** Results are kept seven days after the run ends; then the run is EXPIRED, its file gone. */
  private static State expired(State ended, Instant now) {
    if (now.isAfter(ended.completedAt().plus(BulkOperations.RESULTS_KEPT))) {
      return new State(
          "EXPIRED",
          ended.errorCode(),
          ended.completedAt(),
          ended.objectCount(),
          ended.rootObjectCount(),
          0,
          false);
    }
    return ended;
  }

  private long processed(Instant now) {
    double seconds = Duration.between(createdAt, now).toMillis() / 1000.0;
    return Math.min(objects, (long) (seconds * objectsPerSecond));
  }

  private long rootsOf(long processedObjects) {
    return objects == 0 ? 0 : roots.size() * processedObjects / objects;
  }

  private Instant after(long processedObjects) {
    return createdAt.plusMillis((long) Math.ceil(processedObjects * 1000.0 / objectsPerSecond));
  }
}
