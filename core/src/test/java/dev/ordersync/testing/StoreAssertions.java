package dev.ordersync.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ordersync.App;
import dev.ordersync.config.ShopDomain;
import dev.ordersync.simulator.Simulator;
import dev.ordersync.simulator.store.SimOrder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Compares the store with the simulator's own truth. */
public final class StoreAssertions {
  private StoreAssertions() {}

  public static List<Map<String, Object>> exported(App app) {
    List<Map<String, Object>> rows = new ArrayList<>();
    app.orders().documents().export(rows::add);
    return rows;
  }

  /** Every order of the shop stored exactly once, at its newest version. */
  public static void assertStoredExactly(App app, Simulator sim, String context) {
    Map<String, Instant> truth = new HashMap<>();
    for (SimOrder o : sim.shop().allOrders()) {
      truth.put(o.gid(), o.updatedAt());
    }
    Map<String, Instant> stored = new HashMap<>();
    List<String> duplicates = new ArrayList<>();
    for (Map<String, Object> row : exported(app)) {
      if (stored.put((String) row.get("id"), Instant.parse((String) row.get("updatedAt")))
          != null) {
        duplicates.add((String) row.get("id"));
      }
    }
    assertThat(duplicates).as("duplicates (%s)", context).isEmpty();
    assertThat(stored.keySet())
        .as("stored ids (%s)", context)
        .containsExactlyInAnyOrderElementsOf(truth.keySet());
    assertThat(stored).as("stored versions (%s)", context).isEqualTo(truth);
  }

  /** Every order whose (indexed) update lies before the watermark is stored: nothing skipped. */
  public static void assertNothingBelowWatermarkMissing(
      App app, Simulator sim, String shop, String context) {
    app.sync()
        .checkpoints()
        .get(ShopDomain.of(shop), "orders")
        .ifPresent(
            cp -> {
              Map<String, Object> storedIds = new HashMap<>();
              for (Map<String, Object> row : exported(app)) {
                storedIds.put((String) row.get("id"), row);
              }
              List<String> skipped =
                  sim.shop().allOrders().stream()
                      .filter(o -> o.updatedAt().isBefore(cp.watermark()))
                      .map(SimOrder::gid)
                      .filter(id -> !storedIds.containsKey(id))
                      .toList();
              assertThat(skipped)
                  .as(
                      "orders below the watermark %s that are not stored (%s)",
                      cp.watermark(), context)
                  .isEmpty();
            });
  }
}
