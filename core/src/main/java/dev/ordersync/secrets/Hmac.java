package dev.ordersync.secrets;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * HMAC-SHA256 of a body under a secret: how Shopify signs webhooks and install requests, how the
 * feed signs its push and the dashboard derives its form token.
 */
public final class Hmac {
  private Hmac() {}

  public static byte[] of(String secret, byte[] body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return mac.doFinal(body);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The base64 signature, as in {@code X-Shopify-Hmac-Sha256}. */
  public static String sign(String secret, byte[] body) {
    return Base64.getEncoder().encodeToString(of(secret, body));
  }
}
