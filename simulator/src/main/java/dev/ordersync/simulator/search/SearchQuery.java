package dev.ordersync.simulator.search;

import dev.ordersync.simulator.store.SimOrder;
import java.time.Instant;
import java.util.List;
import java.util.function.Predicate;

/**
 * A parsed order search ({@code created_at:>='2026-01-01T00:00:00Z' AND -test:true}). Terms on
 * unknown fields match everything and leave a warning, as Shopify does (its docs: "If you specify
 * an invalid field, then the query is ignored"), which is why a typo silently widens a window.
 * {@code created} and {@code updated} are bounds implied by a plain AND of terms, for the shop's
 * indexes; null when the query implies none. The predicate alone decides what matches.
 */
public record SearchQuery(
    Predicate<SimOrder> predicate, List<String> warnings, Range created, Range updated) {

  public static SearchQuery all() {
    return new SearchQuery(o -> true, List.of(), null, null);
  }

  public boolean matches(SimOrder order) {
    return predicate.test(order);
  }

  /** {@code [from, to)}; either end may be null (unbounded). */
  public record Range(Instant from, Instant to) {
    Range narrow(Instant lo, Instant hi) {
      Instant f = from == null || (lo != null && lo.isAfter(from)) ? lo : from;
      Instant t = to == null || (hi != null && hi.isBefore(to)) ? hi : to;
      return new Range(f, t);
    }
  }
}
