package dev.ordersync.credentials;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ordersync.config.ShopDomain;
import dev.ordersync.secrets.Secret;
import dev.ordersync.shopify.ShopifyException;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Shopify's token endpoint, {@code POST /admin/oauth/access_token} on the shop's host: the client
 * credentials grant and the refresh of an expiring offline token, as the form body Shopify
 * documents. A refusal (400, 401, 403) names the shop and the kind of credentials, never a value.
 */
public final class TokenEndpoint {
  /**
   * What a grant gave: the access token, how long it lasts, a new refresh token if any, and the
   * scopes granted (comma-separated; null when not said).
   */
  public record Grant(Secret accessToken, Duration expiresIn, Secret refreshToken, String scope) {}

  private final ShopDomain shop;
  private final URI uri;
  private final HttpClient http;
  private final Duration timeout;
  private final ObjectMapper json = new ObjectMapper();

  public TokenEndpoint(ShopDomain shop, URI uri, HttpClient http, Duration timeout) {
    this.shop = shop;
    this.uri = uri;
    this.http = http;
    this.timeout = timeout;
  }

  Grant clientCredentials(String clientId, Secret clientSecret) {
    Map<String, String> form = new LinkedHashMap<>();
    form.put("grant_type", "client_credentials");
    form.put("client_id", clientId);
    form.put("client_secret", clientSecret.reveal());
    return post(form, "client id and secret");
  }

  Grant refresh(String clientId, Secret clientSecret, Secret refreshToken) {
    Map<String, String> form = new LinkedHashMap<>();
    form.put("grant_type", "refresh_token");
    form.put("client_id", clientId);
    form.put("client_secret", clientSecret.reveal());
    form.put("refresh_token", refreshToken.reveal());
    return post(form, "client id, secret and refresh token");
  }

  /**
   * Token exchange of a public app's non-expiring offline token for an expiring pair (the migration
   * Shopify requires by 2027-01-01); a retry with the same token gets the same pair.
   */
  Grant exchange(String clientId, Secret clientSecret, Secret offlineToken) {
    Map<String, String> form = new LinkedHashMap<>();
    form.put("client_id", clientId);
    form.put("client_secret", clientSecret.reveal());
    form.put("grant_type", "urn:ietf:params:oauth:grant-type:token-exchange");
    form.put("subject_token", offlineToken.reveal());
    form.put("subject_token_type", OFFLINE_TOKEN);
    form.put("requested_token_type", OFFLINE_TOKEN);
    form.put("expiring", "1");
    return post(form, "public app's offline token, client id and secret");
  }

  /**
   * The authorization code grant of an install: the code Shopify sent back with the merchant,
   * exchanged for an expiring offline token and its refresh token ({@code expiring: 1}), as JSON.
   */
  public Grant authorizationCode(String clientId, Secret clientSecret, String code) {
    Map<String, String> body = new LinkedHashMap<>();
    body.put("client_id", clientId);
    body.put("client_secret", clientSecret.reveal());
    body.put("code", code);
    body.put("expiring", "1");
    String text;
    try {
      text = json.writeValueAsString(body);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return post(text, "application/json", "authorization code");
  }

  private static final String OFFLINE_TOKEN =
      "urn:shopify:params:oauth:token-type:offline-access-token";

  private Grant post(Map<String, String> form, String what) {
    String body =
        form.entrySet().stream()
            .map(e -> enc(e.getKey()) + "=" + enc(e.getValue()))
            .collect(Collectors.joining("&"));
    return post(body, "application/x-www-form-urlencoded", what);
  }

  private Grant post(String body, String contentType, String what) {
    HttpRequest req =
        HttpRequest.newBuilder(uri)
            .timeout(timeout)
            .header("Content-Type", contentType)
            .header("Accept", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
            .build();
    HttpResponse<String> resp;
    try {
      resp = http.send(req, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new ShopifyException(
          ShopifyException.Kind.TRANSIENT,
          shop,
          "cannot reach the token " + "endpoint " + uri + " (" + e.getClass().getSimpleName() + ")",
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ShopifyException(ShopifyException.Kind.TRANSIENT, shop, "interrupted", e);
    }
    int status = resp.statusCode();
    if (status == 400 || status == 401 || status == 403) {
      throw new ShopifyException.CredentialsRefused(
          shop,
          "Shopify refused the "
              + what
              + " (HTTP "
              + status
              + " "
              + error(resp.body())
              + "). Check them in the app's "
              + "settings; a refresh token that was revoked needs the app installed again.");
    }
    if (status != 200) {
      throw new ShopifyException(
          ShopifyException.Kind.TRANSIENT,
          shop,
          "the token endpoint " + "answered HTTP " + status,
          null);
    }
    try {
      JsonNode n = json.readTree(resp.body());
      String access = n.path("access_token").asText(null);
      if (access == null || access.isBlank()) {
        throw new ShopifyException(
            ShopifyException.Kind.TRANSIENT,
            shop,
            "the token endpoint " + "answered without an access_token",
            null);
      }
      long seconds = n.path("expires_in").asLong(0);
      String refresh = n.path("refresh_token").asText(null);
      return new Grant(
          new Secret(access),
          seconds > 0 ? Duration.ofSeconds(seconds) : null,
          refresh == null || refresh.isBlank() ? null : new Secret(refresh),
          n.path("scope").asText(null));
    } catch (IOException e) {
      throw new ShopifyException(
          ShopifyException.Kind.TRANSIENT,
          shop,
          "the token endpoint " + "answered something other than JSON",
          e);
    }
  }

  /** The OAuth error code of a refusal ("invalid_client"), which holds no secret. */
  private String error(String body) {
    try {
      String code = json.readTree(body).path("error").asText("");
      return code.matches("[a-z_]{1,40}") ? code : "";
    } catch (IOException e) {
      return "";
    }
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
