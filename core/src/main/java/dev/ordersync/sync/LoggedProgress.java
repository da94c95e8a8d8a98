package dev.ordersync.sync;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A bulk import's progress in the service's log: a line every half minute at most. */
final class LoggedProgress implements BulkWindowImport.Progress {
  private static final Logger log = LoggerFactory.getLogger(LoggedProgress.class);
  private static final Duration EVERY = Duration.ofSeconds(30);
  private final Clock clock;
  private Instant last;

  LoggedProgress(Clock clock) {
    this.clock = clock;
  }

  @Override
  public void update(BulkWindowImport.Snapshot s) {
    Instant now = clock.instant();
    if (last != null && Duration.between(last, now).compareTo(EVERY) < 0) {
      return;
    }
    last = now;
    log.info("{}: bulk read of {}: {}", s.shop(), s.window(), BulkProgressLine.of(s));
  }
}
