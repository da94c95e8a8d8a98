package dev.ordersync.sync;

import java.time.Duration;

/** How a sync pass goes, page by page: what {@code sync --once} draws on standard error. */
@FunctionalInterface
public interface PassProgress {
  PassProgress NONE = s -> {};

  void update(Snapshot snapshot);

  /**
   * @param done the share of the pass's window read, from the last listed order's {@code updatedAt}
   *     (pages come in that order)
   * @param waited time spent waiting for Shopify's rate limit or a retry
   */
  record Snapshot(
      String shop,
      Window window,
      int pages,
      int ordersListed,
      int ordersWritten,
      long apiPoints,
      Duration waited,
      Duration elapsed,
      double done) {

    /** One line: window, pages, orders, points, waits, ETA. */
    public String line() {
      StringBuilder b =
          new StringBuilder(
              String.format(
                  "%s: sync %s: %d page(s), %,d order(s) listed, %,d written, %,d API points, "
                      + "%,d s waiting for the rate limit, %,d s",
                  shop,
                  window,
                  pages,
                  ordersListed,
                  ordersWritten,
                  apiPoints,
                  waited.toSeconds(),
                  elapsed.toSeconds()));
      if (done > 0.01 && done < 1) {
        long eta = (long) (elapsed.toSeconds() * (1 - done) / done);
        b.append(String.format(", %.0f%% done, ETA %,d s", done * 100, eta));
      }
      return b.toString();
    }
  }
}
