package dev.ordersync.simulator.graphql;

import dev.ordersync.simulator.search.SearchQuery;
import dev.ordersync.simulator.store.SimOrder;
import dev.ordersync.simulator.store.SimShop;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** Keyset pagination over the searchable orders, by any of the sort keys Shopify offers. */
final class OrderPager {
  static final int MAX_PAGE = 250;

  private OrderPager() {}

  static Map<String, Object> page(
      SimShop shop,
      SearchQuery query,
      String sortKey,
      boolean reverse,
      Integer first,
      String after,
      Integer last,
      String before) {
    if (first == null && last == null) {
      throw new PaginationException("you must provide one of first or last");
    }
    if (first != null && last != null) {
      throw new PaginationException("you must provide only one of first or last");
    }
    int size = first != null ? first : last;
    if (size < 0 || size > MAX_PAGE) {
      throw new PaginationException(
          (first != null ? "first" : "last")
              + " must be between 0 and "
              + MAX_PAGE
              + " (was "
              + size
              + ")");
    }
    if ("CREATED_AT".equals(sortKey)
        && !reverse
        && first != null
        && before == null
        && query.created() != null) {
      return createdPage(shop, query, first, after);
    }
    Function<SimOrder, String> key = sortValue(sortKey);
    Comparator<Entry> order =
        Comparator.comparing((Entry e) -> e.value).thenComparingLong(e -> e.order.id());
    if (reverse) {
      order = order.reversed();
    }
    List<Entry> all = new ArrayList<>();
    for (SimShop.Indexed hit : shop.searchable(query.created(), query.updated())) {
      if (query.matches(hit.indexed())) {
        all.add(new Entry(key.apply(hit.indexed()), hit.current()));
      }
    }
    all.sort(order);
    int from = 0;
    int to = all.size();
    if (after != null) {
      Entry cursor = entry(Cursors.decode(after));
      from = firstAfter(all, cursor, order);
    }
    if (before != null) {
      Entry cursor = entry(Cursors.decode(before));
      to = firstAtOrAfter(all, cursor, order);
    }
    List<Entry> window = from < to ? all.subList(from, to) : List.of();
    List<Entry> page;
    boolean hasNext;
    boolean hasPrevious;
    if (first != null) {
      page = window.subList(0, Math.min(size, window.size()));
      hasNext = window.size() > size || to < all.size();
      hasPrevious = from > 0;
    } else {
      page = window.subList(Math.max(0, window.size() - size), window.size());
      hasPrevious = window.size() > size || from > 0;
      hasNext = to < all.size();
    }
    List<Map<String, Object>> nodes = new ArrayList<>(page.size());
    List<Map<String, Object>> edges = new ArrayList<>(page.size());
    for (Entry e : page) {
      Map<String, Object> node = OrderView.of(e.order);
      nodes.add(node);
      edges.add(Map.of("cursor", Cursors.encode(e.order.id(), e.value), "node", node));
    }
    Map<String, Object> pageInfo = new java.util.HashMap<>();
    pageInfo.put("hasNextPage", hasNext);
    pageInfo.put("hasPreviousPage", hasPrevious);
    pageInfo.put("startCursor", edges.isEmpty() ? null : edges.get(0).get("cursor"));
    pageInfo.put("endCursor", edges.isEmpty() ? null : edges.get(edges.size() - 1).get("cursor"));
    return Map.of("nodes", nodes, "edges", edges, "pageInfo", pageInfo);
  }

  /** A page read straight off the shop's createdAt index: no sort of the whole window. */
  private static Map<String, Object> createdPage(
      SimShop shop, SearchQuery query, int first, String after) {
    Instant afterCreated = null;
    long afterId = 0;
    if (after != null) {
      Cursors.Key k = Cursors.decode(after);
      try {
        afterCreated = Instant.parse(k.value());
      } catch (java.time.format.DateTimeParseException e) {
        throw new Cursors.InvalidCursorException(after);
      }
      afterId = k.id();
    }
    List<SimShop.Indexed> hits =
        shop.scanCreated(query.created(), afterCreated, afterId, query::matches, first + 1);
    boolean hasNext = hits.size() > first;
    List<Map<String, Object>> nodes = new ArrayList<>();
    List<Map<String, Object>> edges = new ArrayList<>();
    for (SimShop.Indexed hit : hits.subList(0, Math.min(first, hits.size()))) {
      Map<String, Object> node = OrderView.of(hit.current());
      nodes.add(node);
      edges.add(
          Map.of(
              "cursor",
              Cursors.encode(hit.current().id(), time(hit.indexed().createdAt())),
              "node",
              node));
    }
    Map<String, Object> pageInfo = new java.util.HashMap<>();
    pageInfo.put("hasNextPage", hasNext);
    pageInfo.put("hasPreviousPage", after != null);
    pageInfo.put("startCursor", edges.isEmpty() ? null : edges.get(0).get("cursor"));
    pageInfo.put("endCursor", edges.isEmpty() ? null : edges.get(edges.size() - 1).get("cursor"));
    return Map.of("nodes", nodes, "edges", edges, "pageInfo", pageInfo);
  }

  private static Entry entry(Cursors.Key key) {
    return new Entry(key.value(), placeholder(key.id()));
  }

  private static int firstAfter(List<Entry> all, Entry cursor, Comparator<Entry> order) {
    int lo = 0;
    int hi = all.size();
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (order.compare(all.get(mid), cursor) <= 0) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  private static int firstAtOrAfter(List<Entry> all, Entry cursor, Comparator<Entry> order) {
    int lo = 0;
    int hi = all.size();
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (order.compare(all.get(mid), cursor) < 0) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  /** Sort values as strings that compare in the right order (zero-padded numbers, ISO times). */
  private static Function<SimOrder, String> sortValue(String sortKey) {
    switch (sortKey == null ? "PROCESSED_AT" : sortKey) {
      case "CREATED_AT":
        return o -> time(o.createdAt());
      case "UPDATED_AT":
        return o -> time(o.updatedAt());
      case "PROCESSED_AT":
        return o -> time(o.processedAt());
      case "ORDER_NUMBER":
        return o -> String.format("%012d", o.number());
      case "TOTAL_PRICE":
      case "CURRENT_TOTAL_PRICE":
        return o -> String.format("%020.2f", o.total());
      default:
        // ID, RELEVANCE and the sort keys the simulator does not model: by id
        return o -> String.format("%020d", o.id());
    }
  }

  private static String time(Instant t) {
    return t.toString();
  }

  private static SimOrder placeholder(long id) {
    return new SimOrder(
        id,
        0,
        Instant.EPOCH,
        Instant.EPOCH,
        Instant.EPOCH,
        null,
        null,
        null,
        false,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        List.of(),
        null,
        List.of(),
        null);
  }

  private record Entry(String value, SimOrder order) {}

  static final class PaginationException extends RuntimeException {
    PaginationException(String message) {
      super(message);
    }
  }
}
