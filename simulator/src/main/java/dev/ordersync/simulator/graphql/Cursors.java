package dev.ordersync.simulator.graphql;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Opaque keyset cursors shaped like Shopify's ({@code {"last_id":…,"last_value":"…"}} in base64).
 * Clients must treat them as opaque.
 */
final class Cursors {
  private Cursors() {}

  static String encode(long lastId, String lastValue) {
    String json = "{\"last_id\":" + lastId + ",\"last_value\":\"" + lastValue + "\"}";
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(json.getBytes(StandardCharsets.UTF_8));
  }

  static Key decode(String cursor) {
    try {
      String json = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
      int idStart = json.indexOf("\"last_id\":") + 10;
      int idEnd = json.indexOf(',', idStart);
      int vStart = json.indexOf("\"last_value\":\"") + 14;
      int vEnd = json.lastIndexOf('"');
      if (idStart < 10 || idEnd < 0 || vStart < 14 || vEnd < vStart) {
        throw new IllegalArgumentException();
      }
      return new Key(Long.parseLong(json.substring(idStart, idEnd)), json.substring(vStart, vEnd));
    } catch (RuntimeException e) {
      throw new InvalidCursorException(cursor);
    }
  }

  record Key(long id, String value) {}

  static final class InvalidCursorException extends RuntimeException {
    InvalidCursorException(String cursor) {
      super("Invalid cursor for current pagination sort: " + cursor);
    }
  }
}
