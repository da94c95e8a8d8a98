package dev.ordersync.shopify;

import java.time.Duration;

/** Waits. Injected so that tests and the demo wait on a virtual clock instead of sleeping. */
@FunctionalInterface
public interface Sleeper {
  void sleep(Duration duration) throws InterruptedException;

  /**
   * Real time; the Shopify client's waits end early when its service stops ({@link StopSignal}).
   */
  Sleeper REAL =
      d -> {
        if (!d.isNegative() && !d.isZero()) {
          Thread.sleep(d.toMillis());
        }
      };

  static Sleeper real() {
    return REAL;
  }
}
