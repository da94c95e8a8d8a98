package dev.ordersync.webhook;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the processor: one thread stores deliveries, woken by each new one and every few seconds
 * anyway (deliveries recorded before a crash are processed after the restart); another confirms
 * deletions with Shopify, so that a slow or unreachable Shopify never holds up the orders.
 */
public final class WebhookWorker implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(WebhookWorker.class);
  private static final long BATCH_WINDOW_MS = 50;
  private static final long CONFIRM_EVERY_SECONDS = 10;

  private final WebhookProcessor processor;
  private final Runnable saveRefusals;
  private final ScheduledExecutorService orders = thread("webhook-processor");
  private final ScheduledExecutorService deletions = thread("webhook-deletions");
  private final AtomicBoolean queued = new AtomicBoolean();

  /**
   * @param saveRefusals adds the refusals counted in memory to the store; run every few seconds and
   *     at the end
   */
  public WebhookWorker(WebhookProcessor processor, Runnable saveRefusals) {
    this.processor = processor;
    this.saveRefusals = saveRefusals;
  }

  /** Adds the refusals counted since the last time to the store, now. */
  public void saveRefusals() {
    try {
      saveRefusals.run();
    } catch (RuntimeException e) {
      log.warn(
          "saving the count of refused webhook deliveries failed (kept for later): {}",
          e.getMessage());
    }
  }

  private static ScheduledExecutorService thread(String name) {
    return Executors.newSingleThreadScheduledExecutor(
        r -> {
          Thread t = new Thread(r, name);
          t.setDaemon(true);
          return t;
        });
  }

  public void start() {
    orders.scheduleWithFixedDelay(this::drain, 0, 5, TimeUnit.SECONDS);
    deletions.scheduleWithFixedDelay(this::confirm, 1, CONFIRM_EVERY_SECONDS, TimeUnit.SECONDS);
  }

  /**
   * Asks for the pending deliveries to be processed soon. Deliveries arriving within the next few
   * milliseconds are processed together, in one transaction per batch.
   */
  public void wake() {
    if (queued.compareAndSet(false, true)) {
      orders.schedule(this::drain, BATCH_WINDOW_MS, TimeUnit.MILLISECONDS);
    }
  }

  private void drain() {
    queued.set(false);
    saveRefusals();
    try {
      processor.processPending();
    } catch (RuntimeException e) {
      log.warn("processing webhook deliveries failed (they stay pending): {}", e.getMessage());
    }
  }

  private void confirm() {
    try {
      processor.confirmDeletions();
    } catch (RuntimeException e) {
      log.warn("confirming deletions failed (they wait): {}", e.getMessage());
    }
  }

  @Override
  public void close() {
    saveRefusals();
    for (ScheduledExecutorService s : new ScheduledExecutorService[] {orders, deletions}) {
      s.shutdown();
      try {
        s.awaitTermination(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
