package dev.ordersync.shopify;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ordersync.config.ShopDomain;
import dev.ordersync.orders.FetchedOrder;
import dev.ordersync.orders.OrderMappingException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The JSONL results of {@link OrderQueries#bulkOrders}, read as they download: an order's line,
 * then its line items' lines ({@code __parentId}), put back together one order at a time, so memory
 * holds one order whatever the size of the file. Results are asked for grouped: a line item whose
 * order is not the one being read would mean an order stored without it, so the file is refused
 * there (a transient error: the window is read again by pages).
 */
public final class BulkResults implements AutoCloseable {
  private static final String PARENT = "__parentId";

  private final ShopDomain shop;
  private final BufferedReader in;
  private final ObjectMapper json = new ObjectMapper();
  private ObjectNode current;
  private ArrayNode currentItems;
  private String lookahead;
  private long linesRead;
  private long linesDone;
  private long orders;

  /**
   * @param skipLines the lines an earlier import of the same results stored: counted, not read
   */
  public BulkResults(ShopDomain shop, InputStream file, long skipLines) {
    this.shop = shop;
    this.in = new BufferedReader(new InputStreamReader(file, StandardCharsets.UTF_8), 1 << 16);
    skip(skipLines);
  }

  private void skip(long lines) {
    while (linesRead < lines) {
      String line = readLine();
      if (line == null) {
        break;
      }
      if (!line.contains("\"" + PARENT + "\"")) {
        orders++;
      }
    }
    linesDone = linesRead;
  }

  /** The next whole order, mapped (or kept as a failure); null at the end of the file. */
  public FetchedOrder next() {
    while (true) {
      String line = lookahead != null ? lookahead : readLine();
      lookahead = null;
      if (line == null) {
        return finishCurrent(linesRead);
      }
      if (line.isBlank()) {
        continue;
      }
      JsonNode node = parse(line);
      String parent = node.path(PARENT).asText(null);
      if (parent == null) {
        if (current != null) {
          lookahead = line;
          return finishCurrent(linesRead - 1);
        }
        orders++;
        current = (ObjectNode) node;
        currentItems = json.createArrayNode();
        continue;
      }
      if (current != null && parent.equals(current.path("id").asText())) {
        ((ObjectNode) node).remove(PARENT);
        currentItems.add(node);
      } else {
        throw new ShopifyException(
            ShopifyException.Kind.TRANSIENT,
            shop,
            "the bulk results are not grouped by order (line "
                + linesRead
                + " belongs to an earlier order)",
            null);
      }
    }
  }

  /** The file's lines that belong to the orders {@link #next()} returned (the resume point). */
  public long linesDone() {
    return linesDone;
  }

  /** The orders in the file so far, skipped ones included: Shopify's rootObjectCount at the end. */
  public long orders() {
    return orders;
  }

  private FetchedOrder finishCurrent(long linesOfIt) {
    if (current == null) {
      linesDone = linesRead;
      return null;
    }
    ObjectNode order = current;
    order.set("lineItems", json.createObjectNode().set("nodes", currentItems));
    JsonNode shipping = order.remove("shippingLine");
    ArrayNode shippingLines = json.createArrayNode();
    if (shipping != null && shipping.isObject()) {
      shippingLines.add(shipping);
    }
    order.set("shippingLines", json.createObjectNode().set("nodes", shippingLines));
    current = null;
    currentItems = null;
    linesDone = linesOfIt;
    return map(order);
  }

  private FetchedOrder map(ObjectNode n) {
    try {
      return FetchedOrder.mapped(GraphQlOrderMapper.map(shop, n));
    } catch (OrderMappingException e) {
      return FetchedOrder.unmapped(
          shop.value(),
          n.path("id").isTextual() ? n.get("id").asText() : null,
          n.path("name").isTextual() ? n.get("name").asText() : null,
          n.toString(),
          e.getMessage());
    }
  }

  private JsonNode parse(String line) {
    try {
      JsonNode node = json.readTree(line);
      if (node == null || !node.isObject()) {
        throw malformed();
      }
      return node;
    } catch (JsonProcessingException e) {
      throw malformed();
    }
  }

  private ShopifyException malformed() {
    return new ShopifyException(
        ShopifyException.Kind.TRANSIENT,
        shop,
        "line " + linesRead + " of the bulk results is not a JSON object",
        null);
  }

  private String readLine() {
    try {
      String line = in.readLine();
      if (line != null) {
        linesRead++;
      }
      return line;
    } catch (IOException e) {
      throw new ShopifyException(
          ShopifyException.Kind.TRANSIENT, shop, "downloading the bulk results failed: " + e, e);
    }
  }

  @Override
  public void close() {
    try {
      in.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
