package dev.ordersync.shopify;

import java.time.Duration;

/**
 * The service is stopping (SIGTERM): every wait for Shopify ends at once and no new request is
 * sent, so that the running passes end at their next step, commit what they have, and say so;
 * nothing has to interrupt a thread that may be writing to the database (an interrupt closes an
 * embedded H2 file's channel under it).
 */
public final class StopSignal {
  private volatile boolean stopping;
  private final java.util.List<Runnable> onStop = new java.util.concurrent.CopyOnWriteArrayList<>();

  /** Runs {@code action} when stopping starts (a client abandons its requests in flight). */
  public void onStop(Runnable action) {
    onStop.add(action);
  }

  public void stop() {
    synchronized (this) {
      stopping = true;
      notifyAll();
    }
    onStop.forEach(Runnable::run);
  }

  public boolean stopping() {
    return stopping;
  }

  /**
   * Waits {@code d} with {@code sleeper}; a wait of real time ends early when stopping starts
   * meanwhile (a test's sleeper, which only moves a clock, is called as it is).
   */
  public void sleep(Sleeper sleeper, Duration d) throws InterruptedException {
    if (sleeper == Sleeper.REAL) {
      sleep(d);
    } else {
      sleeper.sleep(d);
    }
  }

  /** Waits {@code d} of real time, less when stopping starts meanwhile. */
  public synchronized void sleep(Duration d) throws InterruptedException {
    long until = System.nanoTime() + d.toNanos();
    long left;
    while (!stopping && (left = until - System.nanoTime()) > 0) {
      wait(Math.max(1, left / 1_000_000));
    }
  }
}
