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

  private volatile String lastRetry;

  void countRetry(String why) {
    lastRetry = why;
    retries.incrementAndGet();
  }

  /** Why the last retry was made (a transient failure's detail: no secret); null before any. */
  public String lastRetry() {
    return lastRetry;
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
