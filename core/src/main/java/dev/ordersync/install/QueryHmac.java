package dev.ordersync.install;

import dev.ordersync.secrets.Hmac;
import dev.ordersync.secrets.Secret;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * How Shopify signs the query of an install request and of the OAuth callback: the hex HMAC-SHA256,
 * keyed with the app's client secret, of every other parameter sorted by name, {@code name=value}
 * joined by {@code &} (decoded values, as received).
 */
public final class QueryHmac {
  private QueryHmac() {}

  /** The signature of these parameters ({@code hmac} and {@code signature} left out). */
  public static String sign(Map<String, List<String>> query, Secret clientSecret) {
    Map<String, String> sorted = new TreeMap<>();
    query.forEach(
        (name, values) -> {
          if (!name.equals("hmac") && !name.equals("signature")) {
            sorted.put(name, String.join(",", values));
          }
        });
    String message =
        sorted.entrySet().stream()
            .map(e -> e.getKey() + "=" + e.getValue())
            .collect(Collectors.joining("&"));
    return HexFormat.of()
        .formatHex(Hmac.of(clientSecret.reveal(), message.getBytes(StandardCharsets.UTF_8)));
  }

  /** Whether the query's single {@code hmac} is the signature of the rest, in constant time. */
  public static boolean verify(Map<String, List<String>> query, Secret clientSecret) {
    List<String> given = query.get("hmac");
    if (given == null || given.size() != 1 || given.get(0).length() != 64) {
      return false;
    }
    byte[] expected = sign(query, clientSecret).getBytes(StandardCharsets.UTF_8);
    return MessageDigest.isEqual(
        expected, given.get(0).toLowerCase(java.util.Locale.ROOT).getBytes(StandardCharsets.UTF_8));
  }
}
