package dev.ordersync.simulator.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Shopify's token endpoint, {@code POST /admin/oauth/access_token}, for one app known by its client
 * id and secret: the client credentials grant (a Dev Dashboard app's token, which expires) and the
 * refresh of expiring offline tokens. Each refresh returns a new refresh token; the one used stays
 * valid until its replacement is first used, as Shopify keeps it since 2026-08-28. Takes a form
 * body (what Shopify documents) or a JSON one (what its Node library sends).
 */
public final class TokenIssuer {
  private final Clock clock;
  private final String clientId;
  private volatile String clientSecret;
  private final Duration accessTtl;
  private final SecureRandom random = new SecureRandom();
  private final ObjectMapper json = new ObjectMapper();

  /** Access tokens issued, and when each expires. */
  private final Map<String, Instant> accessTokens = new ConcurrentHashMap<>();

  /** Refresh tokens that work, each with the one that replaced it (null: not replaced yet). */
  private final Map<String, String> refreshTokens = new ConcurrentHashMap<>();

  private final Map<String, String> replacedBy = new ConcurrentHashMap<>();
  private volatile int grants;
  private volatile Runnable beforeGrant = () -> {};

  /** Non-expiring offline tokens that token exchange takes (a public app's, before 2027). */
  private final Set<String> offlineTokens = ConcurrentHashMap.newKeySet();

  /** Each migrated offline token, with the pair it gave (a retry within 7 days gets it again). */
  private final Map<String, Exchanged> migrated = new ConcurrentHashMap<>();

  private volatile boolean loseNextAnswer;

  /** The shop this app is installed on (for the authorize page's redirect). */
  private volatile String shopDomain = "shop.myshopify.com";

  /** Scopes a merchant grants at the authorize page; null: those asked for. */
  private volatile String grantScopes;

  /** Authorization codes handed out and not used yet, with the scopes they grant. */
  private final Map<String, Code> codes = new ConcurrentHashMap<>();

  private record Code(String scopes, Instant expires) {}

  private static final Duration CODE_LIFETIME = Duration.ofMinutes(10);

  private record Exchanged(Map<String, Object> answer, String refreshToken, Instant at) {}

  static final String TOKEN_EXCHANGE = "urn:ietf:params:oauth:grant-type:token-exchange";
  static final String OFFLINE_TOKEN = "urn:shopify:params:oauth:token-type:offline-access-token";

  public TokenIssuer(Clock clock, String clientId, String clientSecret, Duration accessTtl) {
    this.clock = clock;
    this.clientId = clientId;
    this.clientSecret = clientSecret;
    this.accessTtl = accessTtl;
  }

  /** Runs {@code hook} before each grant is answered (a test looks at the app meanwhile). */
  public void beforeGrant(Runnable hook) {
    this.beforeGrant = hook;
  }

  /** A non-expiring offline token of this app, which token exchange migrates. */
  public void acceptOfflineToken(String token) {
    offlineTokens.add(token);
  }

  /** Whether an offline token was migrated: the Admin API no longer takes it. */
  public boolean migrated(String token) {
    return token != null && migrated.containsKey(token);
  }

  /** The next grant is made, but its answer is lost on the way (a 504 instead). */
  public void loseNextAnswer() {
    this.loseNextAnswer = true;
  }

  public String clientSecret() {
    return clientSecret;
  }

  public void shopDomain(String domain) {
    this.shopDomain = domain;
  }

  /** The merchant grants these scopes (comma-separated) at the authorize page; null: as asked. */
  public void grantScopes(String scopes) {
    this.grantScopes = scopes;
  }

  /** The app is uninstalled: every token it had stops working at once. */
  public void uninstall() {
    accessTokens.clear();
    refreshTokens.clear();
    replacedBy.clear();
    codes.clear();
  }

  /**
   * {@code GET /admin/oauth/authorize}: the merchant approves at once, and is sent back to the
   * app's {@code redirect_uri} with a code, the state, the shop, a timestamp and Shopify's hmac
   * over them (keyed with the client secret).
   */
  public void authorize(Context ctx) throws Exception {
    String redirect = ctx.queryParam("redirect_uri");
    if (!clientId.equals(ctx.queryParam("client_id")) || redirect == null) {
      ctx.status(400).contentType("text/plain").result("unknown client_id, or no redirect_uri");
      return;
    }
    String code = randomHex();
    String asked = ctx.queryParam("scope") == null ? "" : ctx.queryParam("scope");
    codes.put(
        code,
        new Code(grantScopes != null ? grantScopes : asked, clock.instant().plus(CODE_LIFETIME)));
    Map<String, String> query = new java.util.TreeMap<>();
    query.put("code", code);
    query.put(
        "host",
        java.util.Base64.getUrlEncoder()
            .withoutPadding()
            .encodeToString(
                ("admin.shopify.com/store/" + shopDomain.replace(".myshopify.com", ""))
                    .getBytes(StandardCharsets.UTF_8)));
    query.put("shop", shopDomain);
    if (ctx.queryParam("state") != null) {
      query.put("state", ctx.queryParam("state"));
    }
    query.put("timestamp", String.valueOf(clock.instant().getEpochSecond()));
    ctx.status(302).header("Location", redirect + "?" + signedQuery(query, clientSecret));
  }

  /** {@code name=value&...} of these parameters with Shopify's hmac added, URL-encoded. */
  public static String signedQuery(Map<String, String> params, String secret) {
    Map<String, String> sorted = new java.util.TreeMap<>(params);
    sorted.remove("hmac");
    String message =
        sorted.entrySet().stream()
            .map(e -> e.getKey() + "=" + e.getValue())
            .collect(java.util.stream.Collectors.joining("&"));
    String hmac;
    try {
      javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
      mac.init(
          new javax.crypto.spec.SecretKeySpec(
              secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      hmac = HexFormat.of().formatHex(mac.doFinal(message.getBytes(StandardCharsets.UTF_8)));
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
    sorted.put("hmac", hmac);
    return sorted.entrySet().stream()
        .map(
            e ->
                java.net.URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8)
                    + "="
                    + java.net.URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
        .collect(java.util.stream.Collectors.joining("&"));
  }

  /** The merchant rotates the app's secret: the old one stops working at once. */
  public void rotateSecret(String newSecret) {
    this.clientSecret = newSecret;
  }

  /** Every access token issued so far stops working (as when Shopify revokes them). */
  public void revokeAccessTokens() {
    accessTokens.clear();
  }

  /** A refresh token as an install hands one out (what a public app keeps after OAuth). */
  public String installRefreshToken() {
    String token = "shprt_" + randomHex();
    refreshTokens.put(token, "");
    return token;
  }

  /** Whether an access token was issued here and has not expired. */
  public boolean accepts(String accessToken) {
    Instant expires = accessToken == null ? null : accessTokens.get(accessToken);
    return expires != null && clock.instant().isBefore(expires);
  }

  /** Whether a refresh token still works. */
  public boolean refreshable(String refreshToken) {
    return refreshTokens.containsKey(refreshToken);
  }

  /** How many tokens were granted (both grants). */
  public int grants() {
    return grants;
  }

  public void handle(Context ctx) throws Exception {
    ctx.contentType("application/json");
    Map<String, String> p = parameters(ctx);
    if (!clientId.equals(p.get("client_id")) || !clientSecret.equals(p.get("client_secret"))) {
      reply(
          ctx,
          401,
          Map.of("error", "invalid_client", "error_description", "Client authentication failed"));
      return;
    }
    String grant = p.getOrDefault("grant_type", "");
    beforeGrant.run();
    if (grant.isEmpty() && p.containsKey("code")) {
      Code code = codes.remove(p.get("code"));
      if (code == null || !clock.instant().isBefore(code.expires())) {
        reply(
            ctx,
            400,
            Map.of(
                "error",
                "invalid_request",
                "error_description",
                "The authorization code was not found or was already used"));
        return;
      }
      Map<String, Object> out = access();
      out.put("scope", code.scopes());
      if ("1".equals(p.get("expiring")) || "true".equals(p.get("expiring"))) {
        String refresh = "shprt_" + randomHex();
        refreshTokens.put(refresh, "");
        out.put("refresh_token", refresh);
        out.put("refresh_token_expires_in", 7_776_000);
      } else {
        out.remove("expires_in");
      }
      reply(ctx, 200, out);
    } else if (grant.equals("client_credentials")) {
      Map<String, Object> out = access();
      reply(ctx, 200, out);
    } else if (grant.equals("refresh_token")) {
      String used = p.get("refresh_token");
      if (used == null || !refreshTokens.containsKey(used)) {
        reply(
            ctx,
            400,
            Map.of(
                "error",
                "invalid_grant",
                "error_description",
                "The refresh token is invalid, expired or revoked"));
        return;
      }
      retirePredecessorOf(used);
      String next = "shprt_" + randomHex();
      refreshTokens.put(next, "");
      replacedBy.put(next, used);
      Map<String, Object> out = access();
      out.put("refresh_token", next);
      out.put("refresh_token_expires_in", 7_776_000);
      reply(ctx, 200, out);
    } else if (grant.equals(TOKEN_EXCHANGE)) {
      exchange(ctx, p);
    } else {
      reply(ctx, 400, Map.of("error", "unsupported_grant_type"));
    }
  }

  /**
   * Token exchange of a non-expiring offline token for an expiring pair: a retry with the same
   * token within 7 days, before the pair was refreshed, gets the same pair.
   */
  private synchronized void exchange(Context ctx, Map<String, String> p) throws Exception {
    String subject = p.get("subject_token");
    if (!OFFLINE_TOKEN.equals(p.get("subject_token_type"))
        || !OFFLINE_TOKEN.equals(p.get("requested_token_type"))
        || !"1".equals(p.get("expiring"))) {
      reply(ctx, 400, Map.of("error", "invalid_request"));
      return;
    }
    Exchanged before = subject == null ? null : migrated.get(subject);
    Map<String, Object> out;
    if (before != null
        && refreshTokens.containsKey(before.refreshToken())
        && clock.instant().isBefore(before.at().plus(Duration.ofDays(7)))) {
      out = before.answer();
    } else if (subject != null && offlineTokens.contains(subject) && before == null) {
      String refresh = "shprt_" + randomHex();
      refreshTokens.put(refresh, "");
      out = access();
      out.put("refresh_token", refresh);
      out.put("refresh_token_expires_in", 7_776_000);
      migrated.put(subject, new Exchanged(Map.copyOf(out), refresh, clock.instant()));
      offlineTokens.remove(subject);
    } else {
      reply(ctx, 400, Map.of("error", "invalid_subject_token"));
      return;
    }
    if (loseNextAnswer) {
      loseNextAnswer = false;
      reply(ctx, 504, Map.of("error", "gateway_timeout"));
      return;
    }
    reply(ctx, 200, out);
  }

  /** Using a refresh token retires the one it replaced. */
  private synchronized void retirePredecessorOf(String used) {
    String predecessor = replacedBy.remove(used);
    if (predecessor != null) {
      refreshTokens.remove(predecessor);
    }
  }

  private Map<String, Object> access() {
    String token = "shpat_" + randomHex();
    accessTokens.put(token, clock.instant().plus(accessTtl));
    grants++;
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("access_token", token);
    out.put("scope", "read_orders,read_all_orders,write_webhooks");
    out.put("expires_in", accessTtl.toSeconds());
    return out;
  }

  private Map<String, String> parameters(Context ctx) throws Exception {
    Map<String, String> out = new HashMap<>();
    String body = ctx.body();
    String type = ctx.contentType() == null ? "" : ctx.contentType();
    if (type.startsWith("application/json")) {
      JsonNode n = json.readTree(body);
      n.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText()));
      return out;
    }
    for (String pair : body.split("&")) {
      int eq = pair.indexOf('=');
      if (eq > 0) {
        out.put(
            URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
      }
    }
    return out;
  }

  private void reply(Context ctx, int status, Map<String, ?> body) throws Exception {
    ctx.status(status).result(json.writeValueAsString(body));
  }

  private String randomHex() {
    byte[] b = new byte[16];
    random.nextBytes(b);
    return HexFormat.of().formatHex(b);
  }
}
