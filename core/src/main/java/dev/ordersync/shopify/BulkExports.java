package dev.ordersync.shopify;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ordersync.config.ShopDomain;
import java.io.InputStream;
import java.util.Map;

/**
 * One shop's bulk query operations: start one, ask how it goes, cancel it, open its results. A bulk
 * query runs in Shopify's background outside the rate limit; asking costs a point or so.
 */
public final class BulkExports {
  /** What a request costs, for pacing: a mutation 10, a lookup 1. */
  private static final int MUTATION_COST = 10;

  private final ShopifyClient client;

  public BulkExports(ShopifyClient client) {
    this.client = client;
  }

  public ShopDomain shop() {
    return client.shop();
  }

  /** A started operation's id, or why none could start now (the shop's limit of running ones). */
  public record Start(String operationId, String busy) {
    public boolean started() {
      return operationId != null;
    }
  }

  /** An operation as Shopify reports it. */
  public record Status(
      String id,
      String status,
      String errorCode,
      long objectCount,
      long rootObjectCount,
      String url,
      String partialDataUrl) {
    public boolean running() {
      return status.equals("CREATED") || status.equals("RUNNING") || status.equals("CANCELING");
    }

    public boolean completed() {
      return status.equals("COMPLETED");
    }
  }

  /**
   * Starts {@code query}. Shopify's answer that too many bulk queries run already (LIMIT_REACHED
   * from 2026-01, OPERATION_IN_PROGRESS before) comes back as {@link Start#busy()}; any other
   * refusal is a permanent error.
   */
  public Start start(String query) {
    JsonNode payload =
        client
            .query(OrderQueries.BULK_RUN, Map.of("query", query), MUTATION_COST)
            .data()
            .path("bulkOperationRunQuery");
    JsonNode errors = payload.path("userErrors");
    if (errors.isArray() && !errors.isEmpty()) {
      String code = errors.get(0).path("code").asText("");
      String message = errors.get(0).path("message").asText("");
      if (code.equals("LIMIT_REACHED") || code.equals("OPERATION_IN_PROGRESS")) {
        return new Start(null, message);
      }
      throw new ShopifyException(
          ShopifyException.Kind.PERMANENT,
          client.shop(),
          "Shopify refused the bulk query (" + code + "): " + message,
          null);
    }
    String id = payload.path("bulkOperation").path("id").asText(null);
    if (id == null) {
      throw new ShopifyException(
          ShopifyException.Kind.TRANSIENT,
          client.shop(),
          "bulkOperationRunQuery answered without an operation",
          null);
    }
    return new Start(id, null);
  }

  /** The operation's status; EXPIRED for one Shopify no longer has. */
  public Status status(String id) {
    JsonNode op =
        client.query(OrderQueries.BULK_STATUS, Map.of("id", id), 1).data().path("bulkOperation");
    if (!op.isObject()) {
      return new Status(id, "EXPIRED", null, 0, 0, null, null);
    }
    return new Status(
        id,
        op.path("status").asText(),
        text(op.path("errorCode")),
        op.path("objectCount").asLong(0),
        op.path("rootObjectCount").asLong(0),
        text(op.path("url")),
        text(op.path("partialDataUrl")));
  }

  public void cancel(String id) {
    client.query(OrderQueries.BULK_CANCEL, Map.of("id", id), MUTATION_COST);
  }

  /** The results file, as a stream; opened without the access token, which is not for storage. */
  public InputStream open(String url) {
    return client.download(url);
  }

  private static String text(JsonNode n) {
    return n.isTextual() ? n.asText() : null;
  }
}
