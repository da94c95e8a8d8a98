package dev.ordersync.install;

import dev.ordersync.config.AppConfig;
import dev.ordersync.config.ShopDomain;
import dev.ordersync.credentials.SecretBox;
import dev.ordersync.credentials.TokenEndpoint;
import dev.ordersync.credentials.TokenStore;
import dev.ordersync.db.Database;
import dev.ordersync.shopify.ShopAdmin;
import dev.ordersync.shopify.ShopifyException;
import dev.ordersync.shops.InstalledShops;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A merchant installs order-sync (OAuth's authorization code grant, as Shopify runs it for a public
 * app): the install request is verified and sent to Shopify's authorize page with a single-use
 * state; the callback is verified, the code exchanged for an expiring offline token and its refresh
 * token (stored sealed, before use), the scopes checked, the shop's webhook subscriptions created,
 * the shop recorded and its jobs started. Nothing is recorded for a request that fails a check.
 * Answers name the shop and the reason, never a secret.
 */
public final class ShopInstalls {
  private static final Logger log = LoggerFactory.getLogger(ShopInstalls.class);

  /** How far a signed request's timestamp may be from now: older ones are replays. */
  static final Duration FRESH = InstallStates.VALID;

  /** The topics each installed shop is subscribed to, at {@code {app.url}/webhooks/shopify}. */
  static final List<String> TOPICS =
      List.of(
          "ORDERS_CREATE",
          "ORDERS_UPDATED",
          "ORDERS_CANCELLED",
          "ORDERS_DELETE",
          "APP_UNINSTALLED");

  /** What to answer: a redirect to {@code location}, or a page with {@code status}. */
  public record Answer(int status, URI location, ShopDomain shop, String message) {
    static Answer redirect(URI to) {
      return new Answer(302, to, null, null);
    }

    static Answer page(int status, ShopDomain shop, String message) {
      return new Answer(status, null, shop, message);
    }
  }

  private final AppConfig.AppSettings app;
  private final Database db;
  private final InstallStates states;
  private final InstalledShops installed;
  private final TokenStore tokens;
  private final SecretBox box;
  private final Function<ShopDomain, ShopAdmin> admin;
  private final java.util.function.Predicate<ShopDomain> configured;
  private final Consumer<ShopDomain> startJobs;
  private final HttpClient http;
  private final Duration timeout;
  private final Clock clock;

  /**
   * @param admin the Admin API of a shop whose tokens are stored
   * @param configured whether a shop is in the configuration file (which wins over an install)
   * @param startJobs schedules an installed shop's jobs on the cluster, its sync first
   */
  public ShopInstalls(
      AppConfig.AppSettings app,
      InstallStates states,
      Database db,
      InstalledShops installed,
      TokenStore tokens,
      SecretBox box,
      Function<ShopDomain, ShopAdmin> admin,
      java.util.function.Predicate<ShopDomain> configured,
      Consumer<ShopDomain> startJobs,
      HttpClient http,
      Duration timeout,
      Clock clock) {
    this.app = app;
    this.db = db;
    this.states = states;
    this.installed = installed;
    this.tokens = tokens;
    this.box = box;
    this.admin = admin;
    this.configured = configured;
    this.startJobs = startJobs;
    this.http = http;
    this.timeout = timeout;
    this.clock = clock;
  }

  /** {@code GET /shopify/install}: Shopify's signed install request, to its authorize page. */
  public Answer begin(Map<String, List<String>> query) {
    String problem = signedProblem(query);
    if (problem != null) {
      return Answer.page(400, null, problem);
    }
    return Answer.redirect(installLink(ShopDomain.of(single(query, "shop"))));
  }

  /** The authorize URL a merchant opens to install; its state nonce is stored. */
  public URI installLink(ShopDomain shop) {
    String nonce = states.issue(shop, clock.instant());
    return URI.create(
        app.shopUrl(shop)
            + "/admin/oauth/authorize?client_id="
            + enc(app.clientId())
            + "&scope="
            + enc(String.join(",", app.scopes()))
            + "&redirect_uri="
            + enc(app.redirectUri().toString())
            + "&state="
            + nonce);
  }

  /** {@code GET /shopify/callback}: the merchant back from Shopify with a code. */
  public Answer finish(Map<String, List<String>> query) {
    String problem = signedProblem(query);
    if (problem != null) {
      return Answer.page(400, null, problem);
    }
    ShopDomain shop = ShopDomain.of(single(query, "shop"));
    if (!states.use(single(query, "state"), shop, clock.instant())) {
      return Answer.page(
          400,
          shop,
          "this install link was used already, has expired or was made for another shop: start "
              + "the install again from your Shopify admin");
    }
    String code = single(query, "code");
    if (code == null || code.isBlank()) {
      return Answer.page(400, shop, "Shopify sent no authorization code: start the install again");
    }
    TokenEndpoint.Grant grant;
    try {
      grant =
          new TokenEndpoint(
                  shop, URI.create(app.shopUrl(shop) + "/admin/oauth/access_token"), http, timeout)
              .authorizationCode(app.clientId(), app.clientSecret(), code);
    } catch (ShopifyException.CredentialsRefused e) {
      return Answer.page(
          400,
          shop,
          "Shopify refused the authorization code (expired, used, or not for this app): start "
              + "the install again");
    } catch (ShopifyException e) {
      return Answer.page(
          502, shop, "Shopify could not be reached to finish the install: try again in a minute");
    }
    Set<String> granted =
        grant.scope() == null
            ? Set.of()
            : Arrays.stream(grant.scope().split(",")).map(String::trim).collect(Collectors.toSet());
    if (!granted.contains("read_orders") && !granted.contains("write_orders")) {
      return Answer.page(
          403,
          shop,
          "the app was not granted read_orders (granted: "
              + (granted.isEmpty() ? "none" : String.join(",", granted))
              + "): approve the access it asks for to install it");
    }
    if (grant.refreshToken() == null || grant.expiresIn() == null) {
      return Answer.page(
          502, shop, "Shopify gave a token that does not expire or cannot be refreshed: try again");
    }
    if (configured.test(shop)) {
      // its credentials are the configuration's: the install's tokens would replace theirs
      log.warn(
          "{}: installed through the app, but it is in the configuration file, which wins: the "
              + "install's tokens are not kept",
          shop);
      return Answer.page(
          200,
          shop,
          "order-sync already imports the orders of " + shop + " (it is in its configuration).");
    }
    Instant now = clock.instant();
    String scopes = String.join(",", granted.stream().sorted().toList());
    db.inTransaction(
        h -> {
          tokens.install(
              h,
              shop,
              box.seal(grant.accessToken().reveal()),
              now.plus(grant.expiresIn()),
              box.seal(grant.refreshToken().reveal()),
              now);
          installed.record(h, shop, scopes, now);
          return null;
        });
    String subscriptions = subscribe(shop);
    startJobs.accept(shop);
    log.info("{}: installed (scopes {}); its orders are being imported", shop, scopes);
    return Answer.page(
        200,
        shop,
        "order-sync is importing the orders of "
            + shop
            + (subscriptions == null ? "." : ". " + subscriptions));
  }

  /**
   * The shop's webhook subscriptions to this service, those missing created; null when all are
   * there, else what could not be done (the poll and the sweep import the orders all the same).
   */
  private String subscribe(ShopDomain shop) {
    String uri = app.webhookUri().toString();
    try {
      ShopAdmin api = admin.apply(shop);
      Set<String> have =
          api.webhookSubscriptions().stream()
              .filter(s -> s.uri().equals(uri))
              .map(ShopAdmin.Subscription::topic)
              .collect(Collectors.toSet());
      for (String topic : TOPICS) {
        if (!have.contains(topic)) {
          api.createWebhook(topic, uri);
        }
      }
      return null;
    } catch (ShopifyException e) {
      log.warn("{}: the webhook subscriptions could not be created: {}", shop, e.getMessage());
      return "Its webhook subscriptions could not be created yet; orders arrive by polling "
          + "until `order-sync webhooks register` creates them.";
    }
  }

  /** Why a signed request is not to be believed; null when it is. */
  private String signedProblem(Map<String, List<String>> query) {
    if (!ShopDomain.isValid(single(query, "shop"))) {
      return "the shop parameter must be a shop's domain, name.myshopify.com";
    }
    if (!QueryHmac.verify(query, app.clientSecret())) {
      return "the request's hmac does not match: open the app from your Shopify admin";
    }
    long timestamp;
    try {
      timestamp = Long.parseLong(single(query, "timestamp"));
    } catch (NumberFormatException e) {
      return "the request has no timestamp: open the app from your Shopify admin";
    }
    Instant at = Instant.ofEpochSecond(timestamp);
    Instant now = clock.instant();
    if (at.isBefore(now.minus(FRESH)) || at.isAfter(now.plus(FRESH))) {
      return "the request has expired: open the app from your Shopify admin again";
    }
    return null;
  }

  private static String single(Map<String, List<String>> query, String name) {
    List<String> values = query.get(name);
    return values == null || values.size() != 1 ? null : values.get(0);
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
