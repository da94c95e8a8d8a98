package dev.ordersync.webhook;

import dev.ordersync.secrets.Hmac;
import dev.ordersync.secrets.Secret;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.List;

/**
 * Checks {@code X-Shopify-Hmac-Sha256}: the base64 HMAC-SHA256 of the raw body under the app's
 * secret. Accepts the current and the previous secret (Shopify may sign with the old one for up to
 * an hour after a rotation). Compares in constant time.
 */
public final class WebhookVerifier {
  private WebhookVerifier() {}

  public static boolean verify(byte[] rawBody, String headerValue, List<Secret> secrets) {
    if (headerValue == null || headerValue.isBlank()) {
      return false;
    }
    byte[] given;
    try {
      given = Base64.getDecoder().decode(headerValue.trim());
    } catch (IllegalArgumentException e) {
      return false;
    }
    boolean ok = false;
    for (Secret s : secrets) {
      // no early exit: every secret is tried, so timing says nothing about which one matched
      ok |= MessageDigest.isEqual(Hmac.of(s.reveal(), rawBody), given);
    }
    return ok;
  }
}
