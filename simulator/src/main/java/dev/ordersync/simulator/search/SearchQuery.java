package dev.ordersync.simulator.search;

import dev.ordersync.simulator.store.SimOrder;
import java.util.List;
import java.util.function.Predicate;

/**
 * A parsed order search ({@code created_at:>='2026-01-01T00:00:00Z' AND -test:true}). Terms on
 * unknown fields match everything and leave a warning, as Shopify does (its docs: "If you specify
 * an invalid field, then the query is ignored"), which is why a typo silently widens a window.
 */
public record SearchQuery(Predicate<SimOrder> predicate, List<String> warnings) {

  public static SearchQuery all() {
    return new SearchQuery(o -> true, List.of());
  }

  public boolean matches(SimOrder order) {
    return predicate.test(order);
  }
}
