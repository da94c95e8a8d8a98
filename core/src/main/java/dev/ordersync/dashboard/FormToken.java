package dev.ordersync.dashboard;

import dev.ordersync.secrets.Hmac;
import dev.ordersync.secrets.Secret;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * The token a dashboard form carries, so that a page of another site cannot post it with the
 * browser's saved login (HTTP Basic is sent along with any request to the site). Derived from the
 * API tokens, so every instance and every restart agrees on it; without API tokens there is none,
 * and the dashboard changes nothing.
 */
public final class FormToken {
  private static final byte[] PURPOSE =
      "order-sync dashboard form v1".getBytes(StandardCharsets.UTF_8);

  private final List<String> valid;

  private FormToken(List<String> valid) {
    this.valid = valid;
  }

  public static FormToken of(List<Secret> apiTokens) {
    return new FormToken(apiTokens.stream().map(FormToken::derive).toList());
  }

  /** The token to put in forms; empty when no API token is configured. */
  public Optional<String> value() {
    return valid.stream().findFirst();
  }

  public boolean matches(String given) {
    if (given == null) {
      return false;
    }
    byte[] g = given.getBytes(StandardCharsets.UTF_8);
    boolean ok = false;
    for (String v : valid) {
      ok |= MessageDigest.isEqual(g, v.getBytes(StandardCharsets.UTF_8));
    }
    return ok;
  }

  private static String derive(Secret apiToken) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(Hmac.of(apiToken.reveal(), PURPOSE));
  }
}
