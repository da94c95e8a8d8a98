package dev.ordersync.simulator.faults;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

/**
 * Decides, request by request, whether the simulator fails it: first any scripted faults (in the
 * order given), then outage windows on the simulator's clock, then seeded random rates. The same
 * seed and the same sequence of requests give the same faults.
 */
public final class FaultPlan {
  private final Random random;
  private final Map<Fault, Double> rates = new EnumMap<>(Fault.class);
  private final Deque<Optional<Fault>> scripted = new ArrayDeque<>();
  private final List<Outage> outages = new ArrayList<>();
  private Duration slowDelay = Duration.ofSeconds(2);
  private int retryAfterSeconds = 2;

  public FaultPlan(long seed) {
    this.random = new Random(seed);
  }

  public synchronized FaultPlan rate(Fault fault, double probability) {
    if (probability < 0 || probability > 1) {
      throw new IllegalArgumentException(
          "a fault rate is a probability from 0 to 1: " + probability);
    }
    rates.put(fault, probability);
    return this;
  }

  public synchronized FaultPlan failNext(Fault fault, int times) {
    for (int i = 0; i < times; i++) {
      scripted.add(Optional.of(fault));
    }
    return this;
  }

  /** Lets the next {@code requests} through untouched, before the faults scripted after it. */
  public synchronized FaultPlan passNext(int requests) {
    for (int i = 0; i < requests; i++) {
      scripted.add(Optional.empty());
    }
    return this;
  }

  /** Every request in {@code [from, to)} on the simulator's clock gets HTTP 503. */
  public synchronized FaultPlan outage(Instant from, Instant to) {
    return burst(from, to, Fault.HTTP_503);
  }

  /** Every request in {@code [from, to)} on the simulator's clock fails with {@code fault}. */
  public synchronized FaultPlan burst(Instant from, Instant to, Fault fault) {
    if (!to.isAfter(from)) {
      throw new IllegalArgumentException("a burst must end after it starts");
    }
    outages.add(new Outage(from, to, fault));
    return this;
  }

  public synchronized FaultPlan slowDelay(Duration delay) {
    this.slowDelay = delay;
    return this;
  }

  public synchronized FaultPlan retryAfterSeconds(int seconds) {
    this.retryAfterSeconds = seconds;
    return this;
  }

  public synchronized Duration slowDelay() {
    return slowDelay;
  }

  public synchronized int retryAfterSeconds() {
    return retryAfterSeconds;
  }

  public synchronized void clear() {
    rates.clear();
    scripted.clear();
    outages.clear();
  }

  private Optional<Fault> burstAt(Instant now) {
    return outages.stream().filter(o -> o.covers(now)).map(Outage::fault).findFirst();
  }

  public synchronized Optional<Fault> next(Instant now) {
    if (!scripted.isEmpty()) {
      return scripted.poll();
    }
    Optional<Fault> burst = burstAt(now);
    if (burst.isPresent()) {
      return burst;
    }
    for (Map.Entry<Fault, Double> e : rates.entrySet()) {
      if (random.nextDouble() < e.getValue()) {
        return Optional.of(e.getKey());
      }
    }
    return Optional.empty();
  }

  public record Outage(Instant from, Instant to, Fault fault) {
    boolean covers(Instant t) {
      return !t.isBefore(from) && t.isBefore(to);
    }
  }
}
