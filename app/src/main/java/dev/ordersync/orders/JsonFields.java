package dev.ordersync.orders;

import com.fasterxml.jackson.databind.JsonNode;

/** Reading fields of a payload, saying which one is wrong when one is. */
final class JsonFields {
  private JsonFields() {}

  static String text(JsonNode n, String field) {
    JsonNode v = n.get(field);
    return v == null || v.isNull() ? null : v.asText();
  }

  static String required(JsonNode n, String field) {
    String v = text(n, field);
    if (v == null || v.isEmpty()) {
      throw new OrderMappingException(field + " is missing");
    }
    return v;
  }

  static int requiredInt(JsonNode n, String field) {
    JsonNode v = n.get(field);
    if (v == null || !v.canConvertToInt()) {
      throw new OrderMappingException(field + " is missing or not a whole number");
    }
    return v.asInt();
  }
}
