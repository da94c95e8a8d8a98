package dev.ordersync.feed;

import java.util.List;

/**
 * What the status page and the metrics show of the feed: its last change, up to where retention
 * pruned it, and each push target with how far behind it is.
 */
public record FeedStatus(long head, long prunedThrough, List<PushTargets.Target> targets) {
  public FeedStatus {
    targets = List.copyOf(targets);
  }

  public static FeedStatus read(Feed feed, PushTargets pushTargets) {
    var head = feed.head();
    return new FeedStatus(head.head(), head.prunedThrough(), pushTargets.all());
  }

  /** How many changes the target has not acknowledged yet. */
  public long lag(PushTargets.Target t) {
    return Math.max(0, head - t.position());
  }
}
