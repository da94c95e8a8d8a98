package dev.ordersync.shopify;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ordersync.orders.OrderMappingException;
import java.math.BigDecimal;
import java.util.regex.Pattern;

/** Reading fields of a payload, saying which one is wrong when one is. */
final class JsonFields {
  private JsonFields() {}

  /** Money as Shopify writes it: a plain decimal string, never an exponent, of bounded length. */
  private static final Pattern DECIMAL = Pattern.compile("-?\\d{1,19}(\\.\\d{1,12})?");

  /** A field's text; null when absent, null or empty (both APIs mean "none" by all three). */
  static String text(JsonNode n, String field) {
    JsonNode v = n.get(field);
    if (v == null || v.isNull() || v.isContainerNode()) {
      return null;
    }
    String s = v.asText();
    return s.isEmpty() ? null : s;
  }

  /** An amount, parsed without ever expanding an exponent (1e999999 is refused, not expanded). */
  static BigDecimal decimal(JsonNode v, String field) {
    String s = v.isTextual() || v.isNumber() ? v.asText() : null;
    if (s == null || !DECIMAL.matcher(s).matches()) {
      throw new OrderMappingException(field + " is not a decimal amount");
    }
    return new BigDecimal(s);
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
