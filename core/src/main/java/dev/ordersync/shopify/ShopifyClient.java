package dev.ordersync.shopify;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ordersync.config.ShopDomain;
import dev.ordersync.secrets.Secret;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One shop's Admin GraphQL client over {@link HttpClient}. Classifies every failure (invariant 5),
 * retries the throttled and transient ones with capped, jittered backoff, reads the cost of every
 * response and paces itself from it.
 */
public final class ShopifyClient {
  private static final Logger log = LoggerFactory.getLogger(ShopifyClient.class);
  private static final int MAX_THROTTLE_WAITS = 50;
  private static final Pattern API_PATH = Pattern.compile("/admin/api/([^/]+)/graphql\\.json");

  private final ShopDomain shop;
  private final URI endpoint;
  private final AccessTokens tokens;
  private final HttpClient http;
  private final Duration requestTimeout;
  private final Sleeper sleeper;
  private final StopSignal stop;

  /** The threads inside a request to Shopify now. */
  private final java.util.Set<Thread> sending = new java.util.HashSet<>();

  private final Backoff backoff;
  private final Pacer pacer;
  private final ApiMeter meter = new ApiMeter();
  private final ObjectMapper json = new ObjectMapper();
  private volatile boolean credentialsRefused;

  /** The API version asked for (from the endpoint's path); null for an endpoint without one. */
  private final String requestedVersion;

  private volatile String servedVersion;
  private final Set<String> deprecations = ConcurrentHashMap.newKeySet();
  private final Clock clock;

  /** How far Shopify's clock (its Date header) was ahead of ours at the last answer. */
  private volatile Duration clockOffset;

  public ShopifyClient(
      ShopDomain shop,
      URI endpoint,
      AccessTokens tokens,
      HttpClient http,
      Duration requestTimeout,
      Clock clock,
      Sleeper sleeper,
      StopSignal stop,
      Backoff backoff) {
    this.shop = shop;
    this.endpoint = endpoint;
    this.tokens = tokens;
    Matcher version = API_PATH.matcher(endpoint.getPath() == null ? "" : endpoint.getPath());
    this.requestedVersion = version.find() ? version.group(1) : null;
    this.http = http;
    this.requestTimeout = requestTimeout;
    this.sleeper = sleeper;
    this.stop = stop;
    stop.onStop(this::abandonRequests);
    this.backoff = backoff;
    this.pacer = new Pacer(clock);
    this.clock = clock;
  }

  public static HttpClient newHttpClient(Duration connectTimeout) {
    return HttpClient.newBuilder()
        .connectTimeout(connectTimeout)
        .version(HttpClient.Version.HTTP_1_1)
        .build();
  }

  public ShopDomain shop() {
    return shop;
  }

  public ApiMeter meter() {
    return meter;
  }

  /**
   * The API version asked for and the one Shopify answered with (they differ when the asked one is
   * no longer served: Shopify falls forward to the oldest it serves), and the deprecated fields
   * Shopify said a query used.
   */
  public record ApiVersions(String requested, String served, Set<String> deprecations) {
    public boolean mismatch() {
      return requested != null && served != null && !requested.equals(served);
    }
  }

  /** Shopify's clock less ours at the last answer (its Date header has whole seconds). */
  public Optional<Duration> clockOffset() {
    return Optional.ofNullable(clockOffset);
  }

  public ApiVersions apiVersions() {
    return new ApiVersions(requestedVersion, servedVersion, Set.copyOf(deprecations));
  }

  /** Whether Shopify's last answer refused this shop's credentials (401/403). */
  /** The shop's tokens: to migrate a public app's offline token ({@code credentials migrate}). */
  public AccessTokens tokens() {
    return tokens;
  }

  public boolean credentialsRefused() {
    return credentialsRefused;
  }

  /** The result of one query: its {@code data} and the cost Shopify reported. */
  public record Response(JsonNode data, int requestedCost, int actualCost) {}

  /**
   * Runs {@code query} and returns its data, retrying what is worth retrying.
   *
   * @param expectedCost what the query is expected to cost, for pacing (0 when unknown)
   */
  public Response query(String query, Map<String, Object> variables, int expectedCost) {
    return query(query, variables, expectedCost, Priority.FIRST);
  }

  /**
   * Whose request goes first when a shop's jobs share its bucket: a pass's ({@code FIRST}), or a
   * check that can wait (the sweep, the nightly reconciliation), which goes only when the bucket
   * would still hold a full query for the pass after it.
   */
  public enum Priority {
    FIRST,
    CAN_WAIT
  }

  /** {@link #query(String, Map, int)} at the given priority. */
  public Response query(
      String query, Map<String, Object> variables, int expectedCost, Priority priority) {
    String body = requestBody(query, variables);
    int transientFailures = 0;
    int throttleWaits = 0;
    boolean renewed = false;
    while (true) {
      pace(expectedCost, priority);
      Secret token = null;
      try {
        token = tokens.current();
        return send(body, token);
      } catch (ShopifyException.CredentialsRefused e) {
        // a token that expired early or was revoked: one more try with a new one, if one can be had
        if (renewed || token == null || !tokens.refused(token)) {
          credentialsRefused = true;
          throw e;
        }
        renewed = true;
        log.info("{}: Shopify refused the access token; obtaining a new one", shop);
      } catch (Throttled t) {
        meter.countThrottle();
        if (++throttleWaits > MAX_THROTTLE_WAITS) {
          throw new ShopifyException(
              ShopifyException.Kind.THROTTLED,
              shop,
              "still throttled after " + MAX_THROTTLE_WAITS + " waits",
              null);
        }
        log.debug("{}: throttled, waiting {}", shop, t.wait);
        pause(t.wait);
      } catch (ShopifyException e) {
        if (e.kind() != ShopifyException.Kind.TRANSIENT) {
          throw e;
        }
        if (++transientFailures >= backoff.maxAttempts()) {
          throw new ShopifyException(
              ShopifyException.Kind.TRANSIENT,
              shop,
              "gave up after " + transientFailures + " attempts; last error: " + e.detail(),
              e);
        }
        meter.countRetry(e.detail());
        Duration wait = backoff.delay(transientFailures);
        log.debug(
            "{}: transient failure ({}), retry {} in {} ms",
            shop,
            e.detail(),
            transientFailures,
            wait.toMillis());
        pause(wait);
      }
    }
  }

  /**
   * Opens a file Shopify links to (a bulk operation's results, at a signed storage URL) as a
   * stream, without the access token. A URL refused (expired, 400/403/404) is {@link
   * ShopifyException.Kind#PERMANENT}; a failed connection or a 5xx is transient.
   */
  public java.io.InputStream download(String url) {
    HttpRequest req;
    try {
      req = HttpRequest.newBuilder(URI.create(url)).timeout(requestTimeout).GET().build();
    } catch (IllegalArgumentException e) {
      throw permanent("Shopify gave a results URL that is not one");
    }
    try {
      HttpResponse<java.io.InputStream> resp =
          http.send(req, HttpResponse.BodyHandlers.ofInputStream());
      int status = resp.statusCode();
      if (status == 200) {
        return resp.body();
      }
      resp.body().close();
      if (status >= 500) {
        throw transientError("the results file answered HTTP " + status, null);
      }
      throw permanent(
          "the results file is no longer available (HTTP " + status + "): its URL expired");
    } catch (HttpTimeoutException e) {
      throw transientError("no answer from the results file within " + requestTimeout, e);
    } catch (IOException e) {
      throw transientError("downloading the results failed: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ShopifyException(ShopifyException.Kind.TRANSIENT, shop, "interrupted", e);
    }
  }

  /**
   * Runs {@code query} once, without retrying: for a check that must answer quickly (at start, in
   * {@code doctor}). Throttled and transient failures come back as they are.
   */
  public Response queryOnce(String query, Map<String, Object> variables) {
    try {
      return send(requestBody(query, variables), tokens.current());
    } catch (Throttled t) {
      throw new ShopifyException(ShopifyException.Kind.THROTTLED, shop, "throttled", null);
    }
  }

  private Response send(String body, Secret token) {
    HttpRequest req =
        HttpRequest.newBuilder(endpoint)
            .timeout(requestTimeout)
            .header("Content-Type", "application/json")
            .header("Accept", "application/json")
            .header("X-Shopify-Access-Token", token.reveal())
            .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
            .build();
    HttpResponse<String> resp;
    if (stop.stopping()) {
      throw new ShopifyException.Stopped(shop);
    }
    meter.countRequest();
    try {
      resp = sendUnlessStopping(req);
    } catch (HttpTimeoutException e) {
      throw transientError(
          "no answer from " + endpoint + " within " + requestTimeout.toMillis() + " ms", e);
    } catch (IOException e) {
      throw transientError(
          "cannot reach "
              + endpoint
              + " ("
              + e.getClass().getSimpleName()
              + (e.getMessage() == null ? "" : ": " + e.getMessage())
              + ")",
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ShopifyException(ShopifyException.Kind.TRANSIENT, shop, "interrupted", e);
    }
    return interpret(resp);
  }

  private Response interpret(HttpResponse<String> resp) {
    watchVersion(resp);
    int status = resp.statusCode();
    if (status == 429) {
      Duration wait =
          resp.headers()
              .firstValue("Retry-After")
              .flatMap(ShopifyClient::seconds)
              .orElse(Duration.ofSeconds(1));
      throw new Throttled(wait);
    }
    if (status == 401 || status == 403) {
      credentialsRefused = true;
      throw new ShopifyException.CredentialsRefused(
          shop,
          "Shopify refused the access token "
              + "(HTTP "
              + status
              + "). Check the token for this shop and that the app has the "
              + "read_orders scope.");
    }
    if (status == 402) {
      throw permanent(
          "the shop is frozen (HTTP 402 Payment Required): its Shopify bill is "
              + "unpaid. Nothing can be imported until the merchant pays it.");
    }
    if (status == 423) {
      throw permanent("the shop is locked (HTTP 423). Ask the merchant or Shopify support.");
    }
    if (status == 404) {
      throw permanent(
          "no Admin API at "
              + endpoint
              + " (HTTP 404). Check the shop domain, the "
              + "API version and --api-url.");
    }
    if (status >= 500) {
      throw transientError("HTTP " + status, null);
    }
    if (status != 200) {
      throw permanent("unexpected HTTP " + status + ": " + abbreviate(resp.body()));
    }
    JsonNode root;
    try {
      root = json.readTree(resp.body());
    } catch (JsonProcessingException e) {
      throw transientError(
          "malformed or truncated response body (" + resp.body().length() + " chars)", e);
    }
    if (root == null || !root.isObject()) {
      throw transientError("response body is not a JSON object", null);
    }
    JsonNode cost = root.path("extensions").path("cost");
    pacer.observe(cost.path("throttleStatus"));
    int requested = cost.path("requestedQueryCost").asInt(0);
    int actual = cost.path("actualQueryCost").asInt(0);
    meter.addCost(actual);
    logSearchWarnings(root.path("extensions").path("search"));
    JsonNode errors = root.path("errors");
    if (errors.isArray() && !errors.isEmpty()) {
      throw classify(errors, requested, cost.path("throttleStatus"));
    }
    JsonNode data = root.path("data");
    if (!data.isObject()) {
      throw transientError("response has neither data nor errors", null);
    }
    credentialsRefused = false;
    return new Response(data, requested, actual);
  }

  /** Reads which version answered, and the deprecations Shopify names; warns once of each. */
  private void watchVersion(HttpResponse<String> resp) {
    resp.headers()
        .firstValue("X-Shopify-API-Version")
        .ifPresent(
            served -> {
              String before = servedVersion;
              servedVersion = served;
              if (requestedVersion != null
                  && !served.equals(requestedVersion)
                  && !served.equals(before)) {
                log.warn(
                    "{}: asked for Admin API version {} but Shopify answered with {}: {} is no "
                        + "longer served. Set apiVersion to a supported version.",
                    shop,
                    requestedVersion,
                    served,
                    requestedVersion);
              }
            });
    resp.headers()
        .firstValue("Date")
        .ifPresent(
            date -> {
              try {
                Instant theirs =
                    ZonedDateTime.parse(date, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
                clockOffset = Duration.between(clock.instant(), theirs);
              } catch (DateTimeParseException e) {
                // no usable Date header: nothing to compare
              }
            });
    resp.headers()
        .firstValue("X-Shopify-API-Deprecated-Reason")
        .ifPresent(
            reasons -> {
              for (String reason : reasons.split(";")) {
                if (!reason.isBlank() && deprecations.add(reason.trim())) {
                  log.warn(
                      "{}: Shopify says a query uses something deprecated: {}",
                      shop,
                      reason.trim());
                }
              }
            });
  }

  private RuntimeException classify(JsonNode errors, int requested, JsonNode throttleStatus) {
    String code = "";
    StringBuilder messages = new StringBuilder();
    for (JsonNode e : errors) {
      String c = e.path("extensions").path("code").asText("");
      if (code.isEmpty()) {
        code = c;
      }
      if (messages.length() > 0) {
        messages.append("; ");
      }
      messages.append(e.path("message").asText("?"));
    }
    switch (code) {
      case "THROTTLED":
        return new Throttled(pacer.afterThrottle(requested, throttleStatus));
      case "INTERNAL_SERVER_ERROR":
        return transientError("INTERNAL_SERVER_ERROR: " + abbreviate(messages.toString()), null);
      case "ACCESS_DENIED":
        return permanent(
            "ACCESS_DENIED: "
                + messages
                + ". The app lacks a scope or protected "
                + "customer data access that this query needs.");
      case "SHOP_INACTIVE":
        return permanent("SHOP_INACTIVE: the shop is closed or paused.");
      case "MAX_COST_EXCEEDED":
        return permanent(
            "MAX_COST_EXCEEDED: "
                + messages
                + ". This is a bug in order-sync's "
                + "page sizing; please report it.");
      default:
        return permanent(
            "Shopify rejected the query"
                + (code.isEmpty() ? "" : " (" + code + ")")
                + ": "
                + abbreviate(messages.toString()));
    }
  }

  private void logSearchWarnings(JsonNode search) {
    if (search.isArray()) {
      for (JsonNode s : search) {
        for (JsonNode w : s.path("warnings")) {
          log.warn(
              "{}: Shopify ignored part of a search (a mistyped filter widens the search): {}",
              shop,
              w.path("message").asText(w.toString()));
        }
      }
    }
  }

  private void pace(int cost, Priority priority) {
    Duration wait = pacer.reserve(cost, priority);
    while (priority == Priority.CAN_WAIT && !wait.isZero()) {
      pause(wait); // nothing set aside meanwhile: a pass's requests go first
      wait = pacer.reserve(cost, priority);
    }
    pause(wait);
  }

  private void pause(Duration d) {
    if (d.isZero() || d.isNegative()) {
      return;
    }
    if (stop.stopping()) {
      throw new ShopifyException.Stopped(shop);
    }
    meter.addWait(d.toMillis());
    try {
      stop.sleep(sleeper, d);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ShopifyException(ShopifyException.Kind.TRANSIENT, shop, "interrupted", e);
    }
    if (stop.stopping()) {
      throw new ShopifyException.Stopped(shop);
    }
  }

  /**
   * Sends a request, abandoning it when the service starts stopping: its answer is not waited for
   * (the pass ends at this step, with what it has committed). Only a thread inside {@code send} is
   * ever interrupted, under {@link #sending}'s lock, and its interrupt is cleared before it leaves:
   * no interrupt reaches code that writes to the database.
   */
  private HttpResponse<String> sendUnlessStopping(HttpRequest req)
      throws IOException, InterruptedException {
    Thread me = Thread.currentThread();
    synchronized (sending) {
      if (stop.stopping()) {
        throw new ShopifyException.Stopped(shop);
      }
      sending.add(me);
    }
    try {
      return http.send(req, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (InterruptedException e) {
      if (stop.stopping()) {
        throw new ShopifyException.Stopped(shop);
      }
      throw e;
    } finally {
      synchronized (sending) {
        sending.remove(me);
        if (stop.stopping()) {
          Thread.interrupted(); // an interrupt aimed at the request, arrived as it returned
        }
      }
    }
  }

  /** The service stops: requests in flight are abandoned (see {@link #sendUnlessStopping}). */
  private void abandonRequests() {
    synchronized (sending) {
      sending.forEach(Thread::interrupt);
    }
  }

  private String requestBody(String query, Map<String, Object> variables) {
    ObjectNode body = json.createObjectNode();
    body.put("query", query);
    body.set("variables", json.valueToTree(variables == null ? Map.of() : variables));
    try {
      return json.writeValueAsString(body);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private ShopifyException transientError(String message, Throwable cause) {
    return new ShopifyException(ShopifyException.Kind.TRANSIENT, shop, message, cause);
  }

  private ShopifyException permanent(String message) {
    return new ShopifyException(ShopifyException.Kind.PERMANENT, shop, message, null);
  }

  private static Optional<Duration> seconds(String header) {
    try {
      return Optional.of(Duration.ofMillis((long) (Double.parseDouble(header.trim()) * 1000)));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  private static String abbreviate(String s) {
    return s.length() > 300 ? s.substring(0, 300) + "…" : s;
  }

  /** Internal signal: wait this long, then try again. */
  private static final class Throttled extends RuntimeException {
    final Duration wait;

    Throttled(Duration wait) {
      super(null, null, false, false);
      this.wait = wait;
    }
  }
}
