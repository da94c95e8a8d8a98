package dev.ordersync.simulator.auth;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A merchant's browser installing an app: the install request Shopify sends to the app's URL
 * (signed with the app's client secret), then every redirect (the app to Shopify's authorize page,
 * which the simulator approves at once, and back to the app's callback) up to the page the app
 * answers with.
 */
public final class Merchant {
  private final HttpClient browser =
      HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
  private final String clientSecret;

  public Merchant(String clientSecret) {
    this.clientSecret = clientSecret;
  }

  /** Shopify's install request for {@code shop} at {@code appUrl}, signed at {@code at}. */
  public static URI installRequest(String appUrl, String shop, String clientSecret, Instant at) {
    Map<String, String> q = new LinkedHashMap<>();
    q.put("shop", shop);
    q.put("timestamp", String.valueOf(at.getEpochSecond()));
    return URI.create(appUrl + "/shopify/install?" + TokenIssuer.signedQuery(q, clientSecret));
  }

  /** Installs the app on {@code shop}: the last answer, the app's page (a 200 when it worked). */
  public HttpResponse<String> install(String appUrl, String shop, Instant now)
      throws IOException, InterruptedException {
    URI next = installRequest(appUrl, shop, clientSecret, now);
    for (int hop = 0; hop < 3; hop++) {
      HttpResponse<String> r =
          browser.send(HttpRequest.newBuilder(next).build(), HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 302) {
        return r;
      }
      next = URI.create(r.headers().firstValue("Location").orElseThrow());
    }
    throw new IllegalStateException(shop + ": more redirects than an install makes");
  }
}
