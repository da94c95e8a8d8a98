package dev.ordersync.shopify;

import java.time.Duration;

/** Waits. Injected so that tests and the demo wait on a virtual clock instead of sleeping. */
@FunctionalInterface
public interface Sleeper {
  void sleep(Duration duration) throws InterruptedException;

  static Sleeper real() {
    return d -> {
      if (!d.isNegative() && !d.isZero()) {
        Thread.sleep(d.toMillis());
      }
    };
  }
}
