package dev.ordersync.simulator.traffic;

import dev.ordersync.simulator.store.OrderEvent;
import dev.ordersync.simulator.store.SimOrder;
import dev.ordersync.simulator.store.SimShop;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Applies planned traffic to a shop as its clock passes each event's time. Thread-safe. */
public final class TrafficPlayer {
  private final SimShop shop;
  private final List<TrafficEvent> events = new ArrayList<>();
  private final Map<Integer, Long> orderIds = new HashMap<>();
  private int played;
  private int indexBase;

  public TrafficPlayer(SimShop shop) {
    this.shop = shop;
  }

  /** Adds events (their order indexes are taken as new orders, after those planned before). */
  public synchronized void plan(List<TrafficEvent> more) {
    int base = indexBase;
    int maxIndex = -1;
    for (TrafficEvent e : more) {
      events.add(
          new TrafficEvent(e.at(), e.kind(), e.orderIndex() + base, e.draft(), e.createdAt()));
      maxIndex = Math.max(maxIndex, e.orderIndex());
    }
    indexBase += maxIndex + 1;
    List<TrafficEvent> rest = new ArrayList<>(events.subList(played, events.size()));
    rest.sort(Comparator.comparing(TrafficEvent::at));
    events.subList(played, events.size()).clear();
    events.addAll(rest);
  }

  /** Plays every event due at or before {@code now}; returns how many were played. */
  public synchronized int playUntil(Instant now) {
    int n = 0;
    while (played < events.size() && !events.get(played).at().isAfter(now)) {
      apply(events.get(played++));
      n++;
    }
    return n;
  }

  /** Drops the events not played yet: the traffic stops here. */
  public synchronized void stop() {
    events.subList(played, events.size()).clear();
  }

  public synchronized int remaining() {
    return events.size() - played;
  }

  private void apply(TrafficEvent e) {
    switch (e.kind()) {
      case CREATE -> {
        SimOrder o = shop.create(e.draft(), e.createdAt(), e.at());
        orderIds.put(e.orderIndex(), o.id());
      }
      case UPDATE -> {
        Long id = orderIds.get(e.orderIndex());
        if (id != null) {
          shop.update(
              id,
              o ->
                  o.updatedAt().isBefore(e.at())
                      ? o.withUpdate(e.at(), o.financialStatus(), "FULFILLED", o.note(), o.tags())
                      : o.withUpdate(
                          o.updatedAt().plusSeconds(1),
                          o.financialStatus(),
                          "FULFILLED",
                          o.note(),
                          o.tags()),
              OrderEvent.Topic.ORDERS_UPDATED);
        }
      }
      case CANCEL -> {
        Long id = orderIds.get(e.orderIndex());
        if (id != null) {
          shop.update(
              id,
              o ->
                  o.cancelled(
                      o.updatedAt().isBefore(e.at()) ? e.at() : o.updatedAt().plusSeconds(1),
                      "CUSTOMER"),
              OrderEvent.Topic.ORDERS_CANCELLED);
        }
      }
      default -> throw new IllegalStateException(e.kind().toString());
    }
  }
}
