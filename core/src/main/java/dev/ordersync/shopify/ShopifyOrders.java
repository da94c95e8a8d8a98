package dev.ordersync.shopify;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ordersync.config.ShopDomain;
import dev.ordersync.orders.FetchedOrder;
import dev.ordersync.orders.Order;
import dev.ordersync.orders.OrderMappingException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/**
 * The order reads of one shop, on top of {@link ShopifyClient}: pages of orders, counts, ids,
 * orders by id. Sizes pages from the cost Shopify reports so that no query asks for more than its
 * single-query limit.
 */
public final class ShopifyOrders {
  /** Shopify refuses a query whose requested cost exceeds 1,000; stay well under it. */
  static final int COST_BUDGET = 900;

  static final int MAX_PAGE = 250;

  private final ShopifyClient client;

  /**
   * What one order costs and so how many fit a page, learnt from Shopify's answers; read and
   * written by the service's jobs and the webhook worker at once, so one value holds both.
   */
  private final AtomicReference<Sizing> sizing;

  private final ShopifyClient.Priority priority;

  private record Sizing(int pageSize, int perOrderCost) {}

  public ShopifyOrders(ShopifyClient client) {
    this(
        client,
        new AtomicReference<>(new Sizing(8, COST_BUDGET / 8)),
        ShopifyClient.Priority.FIRST);
  }

  private ShopifyOrders(
      ShopifyClient client, AtomicReference<Sizing> sizing, ShopifyClient.Priority priority) {
    this.client = client;
    this.sizing = sizing;
    this.priority = priority;
  }

  /**
   * The same shop's orders for work that can wait (the sweep, the nightly reconciliation): its
   * requests leave room in the shop's bucket for a pass's (see {@link ShopifyClient.Priority}).
   */
  public ShopifyOrders canWait() {
    return new ShopifyOrders(client, sizing, ShopifyClient.Priority.CAN_WAIT);
  }

  public ShopifyClient client() {
    return client;
  }

  public ShopDomain shop() {
    return client.shop();
  }

  /** The shop's bulk query operations, on the same client. */
  public BulkExports bulk() {
    return new BulkExports(client);
  }

  /** A page of a light listing (ids, versions): 250 a page, about a point per order. */
  public record ListedPage<T>(List<T> items, boolean hasNext, String endCursor) {}

  public record Count(int count, boolean exact) {}

  public record Version(String id, Instant updatedAt) {}

  public Count count(String search) {
    ShopifyClient.Response r =
        client.query(OrderQueries.ORDERS_COUNT, Map.of("query", search), 2, priority);
    JsonNode c = r.data().path("ordersCount");
    return new Count(c.path("count").asInt(), "EXACT".equals(c.path("precision").asText()));
  }

  public ListedPage<String> idPage(String search, String after) {
    return listedPage(OrderQueries.ORDER_IDS, search, after, n -> n.path("id").asText());
  }

  /** A page of (id, updatedAt) in {@code updated_at} order. */
  public ListedPage<Version> versionPage(String search, String after) {
    return listedPage(
        OrderQueries.ORDER_VERSIONS,
        search,
        after,
        n ->
            new Version(
                n.path("id").asText(),
                OffsetDateTime.parse(n.path("updatedAt").asText()).toInstant()));
  }

  private <T> ListedPage<T> listedPage(
      String query, String search, String after, Function<JsonNode, T> item) {
    Map<String, Object> vars = new HashMap<>();
    vars.put("first", MAX_PAGE);
    vars.put("after", after);
    vars.put("query", search);
    ShopifyClient.Response r = client.query(query, vars, MAX_PAGE + 2, priority);
    JsonNode conn = r.data().path("orders");
    List<T> items = new ArrayList<>();
    for (JsonNode n : conn.path("nodes")) {
      items.add(item.apply(n));
    }
    return new ListedPage<>(items, hasNextPage(conn), endCursor(conn));
  }

  private static boolean hasNextPage(JsonNode connection) {
    return connection.path("pageInfo").path("hasNextPage").asBoolean(false);
  }

  private static String endCursor(JsonNode connection) {
    JsonNode cursor = connection.path("pageInfo").path("endCursor");
    return cursor.isTextual() ? cursor.asText() : null;
  }

  /** Orders by GID, in batches sized to the cost budget (never more than 250 ids a call). */
  public List<FetchedOrder> byIds(List<String> ids) {
    List<FetchedOrder> out = new ArrayList<>();
    int i = 0;
    while (i < ids.size()) {
      Sizing size = sizing.get();
      int n = Math.min(size.pageSize(), ids.size() - i);
      List<String> batch = ids.subList(i, i + n);
      ShopifyClient.Response r =
          client.query(
              OrderQueries.ORDERS_BY_ID, Map.of("ids", batch), n * size.perOrderCost(), priority);
      learnCost(r.requestedCost(), n);
      for (JsonNode node : r.data().path("nodes")) {
        if (node.isObject() && node.has("id")) {
          out.add(map(node));
        }
      }
      i += n;
    }
    return out;
  }

  /** Those of {@code ids} that Shopify has (not deleted), asked by id, not through search. */
  public Set<String> existing(List<String> ids) {
    Set<String> out = new HashSet<>();
    for (int i = 0; i < ids.size(); i += MAX_PAGE) {
      List<String> batch = ids.subList(i, Math.min(ids.size(), i + MAX_PAGE));
      ShopifyClient.Response r =
          client.query(OrderQueries.ORDERS_EXIST, Map.of("ids", batch), batch.size() + 1, priority);
      for (JsonNode node : r.data().path("nodes")) {
        if (node.isObject() && node.has("id")) {
          out.add(node.get("id").asText());
        }
      }
    }
    return out;
  }

  private FetchedOrder map(JsonNode n) {
    String id = n.path("id").isTextual() ? n.get("id").asText() : null;
    try {
      Order order = GraphQlOrderMapper.map(client.shop(), n);
      if (GraphQlOrderMapper.hasMoreLineItems(n)) {
        order = order.withLineItems(allLineItems(order, GraphQlOrderMapper.lineItemsEndCursor(n)));
      }
      return FetchedOrder.mapped(order);
    } catch (OrderMappingException e) {
      return FetchedOrder.unmapped(
          client.shop().value(),
          id,
          n.path("name").isTextual() ? n.get("name").asText() : null,
          n.toString(),
          e.getMessage());
    }
  }

  private List<Order.LineItem> allLineItems(Order order, String after) {
    List<Order.LineItem> items = new ArrayList<>(order.lineItems());
    String cursor = after;
    boolean more = true;
    while (more) {
      Map<String, Object> vars = new HashMap<>();
      vars.put("id", order.id());
      vars.put("after", cursor);
      JsonNode conn =
          client
              .query(OrderQueries.LINE_ITEMS, vars, OrderQueries.LINE_ITEMS_COST)
              .data()
              .path("order")
              .path("lineItems");
      for (JsonNode li : conn.path("nodes")) {
        items.add(GraphQlOrderMapper.lineItem(li));
      }
      more = hasNextPage(conn);
      cursor = endCursor(conn);
    }
    return items;
  }

  /** Learns the cost of one order from a response and sizes the next pages to the budget. */
  private void learnCost(int requestedCost, int asked) {
    if (requestedCost <= 0 || asked <= 0) {
      return;
    }
    int perOrder = Math.max(1, (int) Math.ceil((double) requestedCost / asked));
    sizing.set(new Sizing(Math.max(1, Math.min(MAX_PAGE, COST_BUDGET / perOrder)), perOrder));
  }
}
