package dev.ordersync.testing;

import dev.ordersync.simulator.store.OrderDraft;
import dev.ordersync.simulator.traffic.TrafficGenerator;
import dev.ordersync.simulator.traffic.TrafficShape;
import java.time.ZoneId;

/** Seeded order drafts for tests. */
public final class Drafts {
  private final TrafficGenerator generator;

  public Drafts(long seed) {
    this.generator = new TrafficGenerator(seed, ZoneId.of("America/New_York"));
  }

  public OrderDraft next() {
    return generator.draft(TrafficShape.even());
  }
}
