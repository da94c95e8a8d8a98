package dev.ordersync.simulator.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ordersync.simulator.Simulator;
import dev.ordersync.simulator.cost.LeakyBucket;
import dev.ordersync.simulator.cost.QueryCost;
import dev.ordersync.simulator.faults.Fault;
import dev.ordersync.simulator.graphql.ShopGraphQl;
import graphql.ExecutionResult;
import graphql.language.Document;
import graphql.language.OperationDefinition;
import graphql.parser.InvalidSyntaxException;
import graphql.parser.Parser;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code POST /admin/api/{version}/graphql.json}: token check, faults, cost and throttling, then
 * execution. Error shapes follow Shopify's (HTTP 200 with {@code errors[]} for GraphQL-level
 * errors; 401, 429, 5xx for the others).
 */
public final class GraphQlHandler {
  static final int MAX_QUERY_COST = 1000;
  private final Simulator sim;
  private final ShopGraphQl graphQl;
  private final QueryCost cost;
  private final ObjectMapper json = new ObjectMapper();
  private final Map<String, Document> parsed = new ConcurrentHashMap<>();

  private final String oldestVersion;

  public GraphQlHandler(Simulator sim, ShopGraphQl graphQl, QueryCost cost, String oldestVersion) {
    this.sim = sim;
    this.graphQl = graphQl;
    this.cost = cost;
    this.oldestVersion = oldestVersion;
  }

  /** The version that answers: the one asked for, or the oldest served when it is older. */
  private String served(String asked) {
    return asked.matches("\\d{4}-\\d{2}") && asked.compareTo(oldestVersion) < 0
        ? oldestVersion
        : asked;
  }

  public void handle(Context ctx) throws Exception {
    ctx.contentType("application/json; charset=utf-8");
    ctx.header("X-Shopify-API-Version", served(ctx.pathParam("version")));
    Optional<LeakyBucket> bucket = sim.bucketOf(ctx.header("X-Shopify-Access-Token"));
    if (bucket.isEmpty()) {
      sim.stats().count("401");
      ctx.status(401)
          .result(
              "{\"errors\":\"[API] Invalid API key or access token "
                  + "(unrecognized login or wrong password)\"}");
      return;
    }
    sim.catchUp();
    Optional<Fault> fault = sim.faults().next(sim.clock().instant());
    if (fault.isPresent() && respondWithFault(ctx, fault.get())) {
      return;
    }
    String body = execute(ctx, bucket.get());
    if (fault.isPresent() && fault.get() == Fault.TRUNCATED_BODY) {
      sim.stats().count("truncated");
      ctx.result(body.substring(0, Math.max(1, body.length() / 2)));
      return;
    }
    ctx.result(body);
  }

  /** Answers with the fault when it replaces the answer; false when the request goes on. */
  private boolean respondWithFault(Context ctx, Fault fault) throws InterruptedException {
    String requestId = UUID.randomUUID().toString();
    switch (fault) {
      case HTTP_500, HTTP_502, HTTP_503, HTTP_504 -> {
        int status = Integer.parseInt(fault.name().substring(5));
        sim.stats().count(String.valueOf(status));
        ctx.status(status)
            .result(
                "{\"errors\":\""
                    + switch (status) {
                      case 500 -> "Internal Server Error";
                      case 502 -> "Bad Gateway";
                      case 503 -> "Service Unavailable. Check the Shopify status page";
                      default -> "Gateway Timeout";
                    }
                    + "\"}");
        return true;
      }
      case HTTP_429 -> {
        sim.stats().count("429");
        ctx.status(429)
            .header("Retry-After", String.valueOf(sim.faults().retryAfterSeconds()))
            .result(
                "{\"errors\":\"Exceeded 2 calls per second for api client. Reduce request "
                    + "rates to resume uninterrupted service.\"}");
        return true;
      }
      case GRAPHQL_INTERNAL_ERROR -> {
        sim.stats().count("INTERNAL_SERVER_ERROR");
        ctx.status(200)
            .result(
                "{\"errors\":[{\"message\":\"Internal error. Looks like something "
                    + "went wrong on our end.\\nRequest ID: "
                    + requestId
                    + " (include this in support "
                    + "requests).\",\"extensions\":{\"code\":\"INTERNAL_SERVER_ERROR\",\"requestId\":\""
                    + requestId
                    + "\"}}]}");
        return true;
      }
      case SLOW -> {
        sim.stats().count("slow");
        Thread.sleep(sim.faults().slowDelay().toMillis());
        return false;
      }
      default -> {
        return false;
      }
    }
  }

  private String execute(Context ctx, LeakyBucket bucket) throws JsonProcessingException {
    JsonNode request;
    try {
      request = json.readTree(ctx.body());
    } catch (JsonProcessingException e) {
      request = null;
    }
    if (request == null || !request.path("query").isTextual()) {
      sim.stats().count("400");
      ctx.status(400);
      return "{\"errors\":{\"query\":\"Required parameter missing or invalid\"}}";
    }
    String query = request.get("query").asText();
    String operationName =
        request.path("operationName").isTextual() ? request.get("operationName").asText() : null;
    JsonNode varsNode = request.path("variables");
    if (!varsNode.isMissingNode() && !varsNode.isNull() && !varsNode.isObject()) {
      sim.stats().count("400");
      ctx.status(400);
      return "{\"errors\":{\"variables\":\"must be an object\"}}";
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> variables =
        varsNode.isObject() ? json.convertValue(varsNode, Map.class) : Map.of();
    Document doc;
    try {
      doc = parsed.computeIfAbsent(query, Parser::parse);
    } catch (InvalidSyntaxException e) {
      sim.stats().count("invalid");
      return errors(List.of(Map.of("message", e.getMessage())), null);
    }
    String deprecated = graphQl.deprecatedFieldsUsed(doc, operationName, variables);
    if (!deprecated.isEmpty()) {
      ctx.header("X-Shopify-API-Deprecated-Reason", deprecated);
    }
    int requested = cost.requested(doc, operationName, variables);
    if (requested > MAX_QUERY_COST) {
      sim.stats().count("MAX_COST_EXCEEDED");
      return errors(
          List.of(
              Map.of(
                  "message",
                  "Query cost is "
                      + requested
                      + ", which exceeds the single query max cost limit ("
                      + MAX_QUERY_COST
                      + ").",
                  "extensions",
                  Map.of(
                      "code", "MAX_COST_EXCEEDED", "cost", requested, "maxCost", MAX_QUERY_COST))),
          null);
    }
    if (!bucket.tryTake(requested)) {
      sim.stats().count("THROTTLED");
      return errors(
          List.of(
              Map.of(
                  "message",
                  "Throttled",
                  "extensions",
                  Map.of(
                      "code",
                      "THROTTLED",
                      "documentation",
                      "https://shopify.dev/api/usage/limits#rate-limits"))),
          costExtension(requested, null, bucket.status()));
    }
    ShopGraphQl.Executed executed =
        graphQl.execute(query, operationName, variables, ctx.pathParam("version"));
    ExecutionResult result = executed.result();
    Map<String, Object> data = result.getData();
    int actual =
        result.getErrors().isEmpty() || data != null
            ? cost.actual(doc, operationName, variables, data)
            : 0;
    actual = Math.min(actual, requested);
    bucket.refund(requested - actual);
    sim.stats().charge(operationName(doc, operationName), actual);
    Map<String, Object> out = new LinkedHashMap<>();
    if (!result.getErrors().isEmpty()) {
      out.put("errors", result.getErrors().stream().map(e -> e.toSpecification()).toList());
      sim.stats().count("graphql-error");
    } else {
      sim.stats().count("200");
    }
    if (data != null || result.isDataPresent()) {
      out.put("data", data);
    }
    Map<String, Object> extensions = new LinkedHashMap<>();
    extensions.put("cost", costExtension(requested, actual, bucket.status()));
    if (!executed.searchWarnings().isEmpty()) {
      extensions.put(
          "search",
          executed.searchWarnings().stream()
              .map(
                  w -> Map.of("path", List.of("orders"), "warnings", List.of(Map.of("message", w))))
              .toList());
    }
    out.put("extensions", extensions);
    return json.writeValueAsString(out);
  }

  private String errors(List<Map<String, Object>> errors, Map<String, Object> cost)
      throws JsonProcessingException {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("errors", errors);
    if (cost != null) {
      out.put("extensions", Map.of("cost", cost));
    }
    return json.writeValueAsString(out);
  }

  private static Map<String, Object> costExtension(
      int requested, Integer actual, LeakyBucket.Status status) {
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("requestedQueryCost", requested);
    c.put("actualQueryCost", actual);
    c.put(
        "throttleStatus",
        Map.of(
            "maximumAvailable",
            (double) status.maximumAvailable(),
            "currentlyAvailable",
            status.currentlyAvailable(),
            "restoreRate",
            (double) status.restoreRate()));
    return c;
  }

  private static String operationName(Document doc, String given) {
    if (given != null) {
      return given;
    }
    return doc.getDefinitionsOfType(OperationDefinition.class).stream()
        .map(OperationDefinition::getName)
        .filter(java.util.Objects::nonNull)
        .findFirst()
        .orElse(null);
  }
}
