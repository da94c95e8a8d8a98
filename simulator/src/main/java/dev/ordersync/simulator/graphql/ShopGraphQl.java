package dev.ordersync.simulator.graphql;

import dev.ordersync.simulator.bulk.BulkOperations;
import dev.ordersync.simulator.search.SearchParser;
import dev.ordersync.simulator.search.SearchQuery;
import dev.ordersync.simulator.search.SearchSyntaxException;
import dev.ordersync.simulator.store.SimOrder;
import dev.ordersync.simulator.store.SimShop;
import dev.ordersync.simulator.webhooks.WebhookHub;
import graphql.ExecutionInput;
import graphql.ExecutionResult;
import graphql.GraphQL;
import graphql.GraphqlErrorBuilder;
import graphql.analysis.QueryTraverser;
import graphql.analysis.QueryVisitorFieldEnvironment;
import graphql.analysis.QueryVisitorStub;
import graphql.execution.DataFetcherResult;
import graphql.execution.preparsed.PreparsedDocumentEntry;
import graphql.execution.preparsed.PreparsedDocumentProvider;
import graphql.language.Document;
import graphql.schema.DataFetchingEnvironment;
import graphql.schema.GraphQLObjectType;
import graphql.schema.GraphQLSchema;
import graphql.schema.idl.RuntimeWiring;
import graphql.schema.idl.SchemaGenerator;
import graphql.schema.idl.SchemaParser;
import graphql.schema.idl.TypeDefinitionRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.function.Supplier;

/** Our subset of the Admin API schema, executed by graphql-java against a {@link SimShop}. */
public final class ShopGraphQl {
  public static final String SCHEMA_RESOURCE = "/simulator/admin-subset.graphqls";

  private final SimShop shop;
  private final WebhookHub webhooks;

  /** The access scopes the app was granted at install. */
  private final List<String> scopes;

  private final GraphQLSchema schema;
  private final GraphQL graphQl;
  private final BulkOperations bulk;

  /** Context keys: the API version asked for; the orders a bulk run's slice renders. */
  private static final String API_VERSION = "apiVersion";

  private static final String BULK_SLICE = "bulkSlice";

  /** Search warnings of the request being executed, for {@code extensions.search}. */
  private final ThreadLocal<List<String>> searchWarnings =
      ThreadLocal.withInitial(CopyOnWriteArrayList::new);

  public ShopGraphQl(
      SimShop shop, WebhookHub webhooks, List<String> scopes, Supplier<String> baseUrl) {
    this.shop = shop;
    this.webhooks = webhooks;
    this.scopes = List.copyOf(scopes);
    this.schema = buildSchema();
    this.bulk = new BulkOperations(shop, schema, this::renderBulk, baseUrl);
    Map<String, PreparsedDocumentEntry> cache = new ConcurrentHashMap<>();
    PreparsedDocumentProvider preparsed =
        new PreparsedDocumentProvider() {
          @Override
          public CompletableFuture<PreparsedDocumentEntry> getDocumentAsync(
              ExecutionInput input,
              Function<ExecutionInput, PreparsedDocumentEntry> parseAndValidate) {
            PreparsedDocumentEntry hit = cache.get(input.getQuery());
            if (hit != null) {
              return CompletableFuture.completedFuture(hit);
            }
            PreparsedDocumentEntry entry = parseAndValidate.apply(input);
            if (cache.size() < 1_000) {
              cache.put(input.getQuery(), entry);
            }
            return CompletableFuture.completedFuture(entry);
          }
        };
    this.graphQl = GraphQL.newGraphQL(schema).preparsedDocumentProvider(preparsed).build();
  }

  public GraphQLSchema schema() {
    return schema;
  }

  public BulkOperations bulk() {
    return bulk;
  }

  public static String schemaText() {
    try (InputStream in = ShopGraphQl.class.getResourceAsStream(SCHEMA_RESOURCE)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Runs a validated query; the search warnings it produced come back beside the result. */
  public Executed execute(
      String query, String operationName, Map<String, Object> variables, String apiVersion) {
    searchWarnings.get().clear();
    ExecutionInput input =
        ExecutionInput.newExecutionInput()
            .query(query)
            .operationName(operationName)
            .variables(variables == null ? Map.of() : variables)
            .graphQLContext(Map.of(API_VERSION, apiVersion == null ? "" : apiVersion))
            .build();
    ExecutionResult result = graphQl.execute(input);
    return new Executed(result, List.copyOf(searchWarnings.get()));
  }

  public record Executed(ExecutionResult result, List<String> searchWarnings) {}

  /** A bulk run's document over some of its orders: the nodes of its root connection. */
  @SuppressWarnings("unchecked")
  private List<Map<String, Object>> renderBulk(Document document, List<SimOrder> orders) {
    ExecutionResult result =
        graphQl.execute(
            ExecutionInput.newExecutionInput()
                .query(graphql.language.AstPrinter.printAstCompact(document))
                .graphQLContext(Map.of(BULK_SLICE, orders))
                .build());
    if (!result.getErrors().isEmpty()) {
      throw new IllegalStateException("a bulk query failed to render: " + result.getErrors());
    }
    Map<String, Object> data = result.getData();
    Map<String, Object> connection = (Map<String, Object>) data.values().iterator().next();
    if (connection.get("nodes") instanceof List<?> nodes) {
      return (List<Map<String, Object>>) nodes;
    }
    List<Map<String, Object>> out = new ArrayList<>();
    for (Object edge : (List<Object>) connection.get("edges")) {
      out.add((Map<String, Object>) ((Map<String, Object>) edge).get("node"));
    }
    return out;
  }

  private GraphQLSchema buildSchema() {
    TypeDefinitionRegistry types = new SchemaParser().parse(schemaText());
    RuntimeWiring wiring =
        RuntimeWiring.newRuntimeWiring()
            .scalar(Scalars.DATE_TIME)
            .scalar(Scalars.DECIMAL)
            .scalar(Scalars.UNSIGNED_INT64)
            .scalar(Scalars.URL)
            .type(
                "QueryRoot",
                t ->
                    t.dataFetcher("orders", this::orders)
                        .dataFetcher("ordersCount", this::ordersCount)
                        .dataFetcher("order", env -> orderById(env.getArgument("id")))
                        .dataFetcher("nodes", this::nodes)
                        .dataFetcher("shop", env -> shopView())
                        .dataFetcher("currentAppInstallation", env -> installation())
                        .dataFetcher("webhookSubscriptions", this::subscriptions)
                        .dataFetcher("bulkOperation", env -> bulk.find(env.getArgument("id")))
                        .dataFetcher(
                            "currentBulkOperation",
                            env -> "QUERY".equals(env.getArgument("type")) ? bulk.current() : null))
            .type(
                "Mutation",
                t ->
                    t.dataFetcher("webhookSubscriptionCreate", this::subscribe)
                        .dataFetcher(
                            "bulkOperationRunQuery",
                            env ->
                                bulk.run(
                                    env.getArgument("query"),
                                    Boolean.TRUE.equals(env.getArgument("groupObjects")),
                                    env.getGraphQlContext().get(API_VERSION)))
                        .dataFetcher(
                            "bulkOperationCancel", env -> bulk.cancel(env.getArgument("id"))))
            .type(
                "Order",
                t ->
                    t.dataFetcher("lineItems", env -> nested(env, OrderView.LINE_ITEMS))
                        .dataFetcher("shippingLines", env -> nested(env, OrderView.SHIPPING_LINES)))
            .type(
                "Node",
                t ->
                    t.typeResolver(
                        env -> {
                          Object src = env.getObject();
                          String name =
                              src instanceof Map<?, ?> m ? (String) m.get("__typename") : null;
                          return (GraphQLObjectType)
                              env.getSchema().getType(name == null ? "Order" : name);
                        }))
            .build();
    return new SchemaGenerator().makeExecutableSchema(types, wiring);
  }

  private Object orders(DataFetchingEnvironment env) {
    List<SimOrder> slice = env.getGraphQlContext().get(BULK_SLICE);
    if (slice != null) {
      // a bulk run reads every order it found, without pages
      List<Map<String, Object>> nodes = slice.stream().map(OrderView::of).toList();
      return connection(nodes);
    }
    try {
      SearchQuery q = search(env.getArgument("query"));
      return OrderPager.page(
          shop,
          q,
          env.getArgument("sortKey"),
          Boolean.TRUE.equals(env.getArgument("reverse")),
          env.getArgument("first"),
          env.getArgument("after"),
          env.getArgument("last"),
          env.getArgument("before"));
    } catch (OrderPager.PaginationException
        | Cursors.InvalidCursorException
        | SearchSyntaxException e) {
      return error(env, e.getMessage());
    }
  }

  private Object ordersCount(DataFetchingEnvironment env) {
    SearchQuery q;
    try {
      q = search(env.getArgument("query"));
    } catch (SearchSyntaxException e) {
      return error(env, e.getMessage());
    }
    Integer limit = env.containsArgument("limit") ? env.getArgument("limit") : 10_000;
    int count = 0;
    for (SimShop.Indexed hit : shop.searchable(q.created(), q.updated())) {
      if (q.matches(hit.indexed())) {
        count++;
        if (limit != null && count >= limit) {
          return Map.of("count", limit, "precision", "AT_LEAST");
        }
      }
    }
    return Map.of("count", count, "precision", "EXACT");
  }

  private SearchQuery search(String query) {
    SearchQuery q = SearchParser.parse(query, shop.zone(), shop.now());
    searchWarnings.get().addAll(q.warnings());
    return q;
  }

  private Object orderById(String gid) {
    Long id = parseOrderGid(gid);
    return id == null ? null : shop.byId(id).map(OrderView::of).orElse(null);
  }

  private Object nodes(DataFetchingEnvironment env) {
    List<String> ids = env.getArgument("ids");
    if (ids.size() > OrderPager.MAX_PAGE) {
      return error(
          env,
          "The ids argument accepts at most "
              + OrderPager.MAX_PAGE
              + " ids (got "
              + ids.size()
              + ")");
    }
    List<Object> out = new ArrayList<>(ids.size());
    for (String gid : ids) {
      out.add(orderById(gid));
    }
    return out;
  }

  private Object nested(DataFetchingEnvironment env, String key) {
    Map<String, Object> order = env.getSource();
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> items = (List<Map<String, Object>>) order.get(key);
    Integer first = env.getArgument("first");
    Integer last = env.getArgument("last");
    if (env.getGraphQlContext().get(BULK_SLICE) != null) {
      return connection(items);
    }
    if (first == null && last == null) {
      return error(env, "you must provide one of first or last");
    }
    int size = first != null ? first : last;
    if (size < 0 || size > OrderPager.MAX_PAGE) {
      return error(env, "first/last must be between 0 and " + OrderPager.MAX_PAGE);
    }
    String after = env.getArgument("after");
    int from = after == null ? 0 : Integer.parseInt(after.substring(1)) + 1;
    int to = Math.min(items.size(), from + size);
    List<Map<String, Object>> page = from < to ? items.subList(from, to) : List.of();
    List<Map<String, Object>> edges = new ArrayList<>();
    for (int i = 0; i < page.size(); i++) {
      edges.add(Map.of("cursor", "i" + (from + i), "node", page.get(i)));
    }
    Map<String, Object> pageInfo = new HashMap<>();
    pageInfo.put("hasNextPage", to < items.size());
    pageInfo.put("hasPreviousPage", from > 0);
    pageInfo.put("startCursor", page.isEmpty() ? null : "i" + from);
    pageInfo.put("endCursor", page.isEmpty() ? null : "i" + (to - 1));
    return Map.of("nodes", page, "edges", edges, "pageInfo", pageInfo);
  }

  /** A whole connection: every node, no further page. */
  private static Map<String, Object> connection(List<Map<String, Object>> nodes) {
    List<Map<String, Object>> edges = new ArrayList<>(nodes.size());
    for (int i = 0; i < nodes.size(); i++) {
      edges.add(Map.of("cursor", "b" + i, "node", nodes.get(i)));
    }
    Map<String, Object> pageInfo = new HashMap<>();
    pageInfo.put("hasNextPage", false);
    pageInfo.put("hasPreviousPage", false);
    return Map.of("nodes", nodes, "edges", edges, "pageInfo", pageInfo);
  }

  private Map<String, Object> shopView() {
    return Map.of(
        "__typename",
        "Shop",
        "id",
        "gid://shopify/Shop/1",
        "name",
        shop.domain(),
        "myshopifyDomain",
        shop.domain(),
        "ianaTimezone",
        shop.zone().getId(),
        "currencyCode",
        shop.currency());
  }

  /**
   * The deprecated fields a query uses, as "Type.field: reason" joined by "; ", for {@code
   * X-Shopify-API-Deprecated-Reason}; empty when none.
   */
  public String deprecatedFieldsUsed(
      Document doc, String operationName, Map<String, Object> variables) {
    Set<String> used = new java.util.TreeSet<>();
    try {
      QueryTraverser.newQueryTraverser()
          .schema(schema)
          .document(doc)
          .operationName(operationName)
          .coercedVariables(
              graphql.execution.CoercedVariables.of(variables == null ? Map.of() : variables))
          .build()
          .visitPreOrder(
              new QueryVisitorStub() {
                @Override
                public void visitField(QueryVisitorFieldEnvironment env) {
                  if (env.getFieldDefinition().isDeprecated()) {
                    used.add(
                        env.getFieldsContainer().getName()
                            + "."
                            + env.getField().getName()
                            + ": "
                            + env.getFieldDefinition().getDeprecationReason());
                  }
                }
              });
    } catch (RuntimeException e) {
      return ""; // an invalid query: the execution says what is wrong with it
    }
    return String.join("; ", used);
  }

  private Object installation() {
    return Map.of(
        "__typename",
        "AppInstallation",
        "id",
        "gid://shopify/AppInstallation/1",
        "accessScopes",
        scopes.stream().map(h -> Map.of("handle", h, "description", h)).toList());
  }

  private Object subscriptions(DataFetchingEnvironment env) {
    String uri = env.getArgument("uri");
    List<String> topics = env.getArgument("topics");
    List<Map<String, Object>> nodes =
        webhooks.subscriptions().stream()
            .filter(s -> uri == null || s.uri().equals(uri))
            .filter(s -> topics == null || topics.contains(s.topic()))
            .map(
                s ->
                    Map.<String, Object>of(
                        "__typename",
                        "WebhookSubscription",
                        "id",
                        "gid://shopify/WebhookSubscription/" + s.id(),
                        "topic",
                        s.topic(),
                        "uri",
                        s.uri()))
            .toList();
    Map<String, Object> out = new HashMap<>();
    out.put("nodes", nodes);
    out.put("edges", nodes.stream().map(n -> Map.of("cursor", n.get("id"), "node", n)).toList());
    out.put("pageInfo", Map.of("hasNextPage", false, "hasPreviousPage", false));
    return out;
  }

  private Object subscribe(DataFetchingEnvironment env) {
    String topic = env.getArgument("topic");
    Map<String, Object> input = env.getArgument("webhookSubscription");
    Object uri = input.get("uri");
    if (uri == null || uri.toString().isBlank()) {
      Map<String, Object> payload = new HashMap<>();
      payload.put("webhookSubscription", null);
      payload.put(
          "userErrors",
          List.of(
              Map.of(
                  "field",
                  List.of("webhookSubscription", "uri"),
                  "message",
                  "Address can't be blank")));
      return payload;
    }
    String id = webhooks.subscribe(topic, uri.toString());
    Map<String, Object> sub =
        Map.of(
            "__typename", "WebhookSubscription", "id", id, "topic", topic, "uri", uri.toString());
    Map<String, Object> payload = new HashMap<>();
    payload.put("webhookSubscription", sub);
    payload.put("userErrors", List.of());
    return payload;
  }

  private static Object error(DataFetchingEnvironment env, String message) {
    return DataFetcherResult.newResult()
        .error(GraphqlErrorBuilder.newError(env).message(message).build())
        .build();
  }

  static Long parseOrderGid(String gid) {
    String prefix = "gid://shopify/Order/";
    if (gid == null || !gid.startsWith(prefix)) {
      return null;
    }
    try {
      return Long.parseLong(gid.substring(prefix.length()));
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
