package dev.ordersync.webhook;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ordersync.shopify.RestOrderMapper;
import java.util.List;
import java.util.Optional;

/**
 * What a signed body must look like for its topic. Shopify signs the body, not the topic header: a
 * captured order's body re-sent as {@code orders/delete} is signed all the same, so the body itself
 * must say what it is.
 */
final class WebhookBodies {
  /** Fields every order carries and a deletion never does. */
  private static final List<String> ORDER_FIELDS =
      List.of(
          "created_at",
          "updated_at",
          "name",
          "line_items",
          "total_price",
          "currency",
          "financial_status",
          "order_number");

  private static final ObjectMapper STRICT =
      new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private WebhookBodies() {}

  /** The body as a JSON object, parsed strictly (nothing after it); empty when it is not one. */
  static Optional<JsonNode> parse(String body) {
    try {
      JsonNode n = STRICT.readTree(body);
      return n != null && n.isObject() ? Optional.of(n) : Optional.empty();
    } catch (JsonProcessingException e) {
      return Optional.empty();
    }
  }

  /**
   * The shop a signed body says it is of, where it says it: {@code shop_domain} (compliance
   * topics), {@code myshopify_domain} (a shop object), or the host of an order's {@code
   * order_status_url} when that is a myshopify.com host.
   */
  static Optional<String> shopSaid(JsonNode body) {
    for (String field : List.of("shop_domain", "myshopify_domain")) {
      JsonNode v = body.get(field);
      if (v != null && v.isTextual() && !v.asText().isBlank()) {
        return Optional.of(v.asText());
      }
    }
    JsonNode url = body.get("order_status_url");
    if (url != null && url.isTextual()) {
      try {
        String host = java.net.URI.create(url.asText()).getHost();
        if (host != null && host.toLowerCase(java.util.Locale.ROOT).endsWith(".myshopify.com")) {
          return Optional.of(host);
        }
      } catch (IllegalArgumentException e) {
        return Optional.empty();
      }
    }
    return Optional.empty();
  }

  /** Whether a body fits the topic it came under; a topic order-sync does not handle fits. */
  static boolean fits(String topic, JsonNode body) {
    if (WebhookProcessor.DELETE_TOPIC.equals(topic)) {
      return RestOrderMapper.orderGid(body) != null && ORDER_FIELDS.stream().noneMatch(body::has);
    }
    if (WebhookProcessor.EDITED_TOPIC.equals(topic)) {
      return editedOrderGid(body) != null;
    }
    if (WebhookProcessor.ORDER_TOPICS.contains(topic)) {
      return body.has("updated_at") || body.has("created_at");
    }
    return ComplianceDeliveries.fits(topic, body);
  }

  /** The GID of the order an {@code orders/edited} body is about; null when it names none. */
  static String editedOrderGid(JsonNode body) {
    JsonNode edit = body.path("order_edit");
    if (!edit.isObject()) {
      return null;
    }
    JsonNode id = edit.path("order_id");
    return id.isIntegralNumber() && id.canConvertToLong() && id.asLong() > 0
        ? "gid://shopify/Order/" + id.asLong()
        : null;
  }
}
