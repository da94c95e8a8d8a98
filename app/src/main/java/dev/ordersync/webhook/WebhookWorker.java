package dev.ordersync.webhook;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the processor on one thread: woken by each new delivery, and every few seconds anyway so
 * that deliveries recorded before a crash are processed after the restart.
 */
public final class WebhookWorker implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(WebhookWorker.class);
  private final WebhookProcessor processor;
  private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(
      r -> {
        Thread t = new Thread(r, "webhook-processor");
        t.setDaemon(true);
        return t;
      });
  private static final long BATCH_WINDOW_MS = 50;
  private final AtomicBoolean queued = new AtomicBoolean();

  public WebhookWorker(WebhookProcessor processor) {
    this.processor = processor;
  }

  public void start() {
    thread.scheduleWithFixedDelay(this::drain, 0, 5, TimeUnit.SECONDS);
  }

  /**
   * Asks for the pending deliveries to be processed soon. Deliveries arriving within the next
   * few milliseconds are processed together, in one transaction per batch.
   */
  public void wake() {
    if (queued.compareAndSet(false, true)) {
      thread.schedule(this::drain, BATCH_WINDOW_MS, TimeUnit.MILLISECONDS);
    }
  }

  private void drain() {
    queued.set(false);
    try {
      processor.processPending();
    } catch (RuntimeException e) {
      log.warn("processing webhook deliveries failed (they stay pending): {}", e.getMessage());
    }
  }

  @Override
  public void close() {
    thread.shutdown();
    try {
      thread.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
