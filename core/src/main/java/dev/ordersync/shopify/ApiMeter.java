package dev.ordersync.shopify;

import java.util.concurrent.atomic.AtomicLong;

/** API budget one shop's client has used: actual query cost, requests, throttle waits. */
public final class ApiMeter {
  private final AtomicLong cost = new AtomicLong();
  private final AtomicLong requests = new AtomicLong();
  private final AtomicLong throttled = new AtomicLong();
  private final AtomicLong retries = new AtomicLong();
  private final AtomicLong waitedMillis = new AtomicLong();

  void countRequest() {
    requests.incrementAndGet();
  }

  void addCost(long actual) {
    cost.addAndGet(actual);
  }

  void countThrottle() {
    throttled.incrementAndGet();
  }

  void countRetry() {
    retries.incrementAndGet();
  }

  void addWait(long millis) {
    waitedMillis.addAndGet(millis);
  }

  public long cost() {
    return cost.get();
  }

  public long requests() {
    return requests.get();
  }

  public long throttled() {
    return throttled.get();
  }

  public long retries() {
    return retries.get();
  }

  public long waitedMillis() {
    return waitedMillis.get();
  }
}
