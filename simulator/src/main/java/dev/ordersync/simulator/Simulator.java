package dev.ordersync.simulator;

import dev.ordersync.simulator.auth.TokenIssuer;
import dev.ordersync.simulator.bulk.BulkOperations;
import dev.ordersync.simulator.cost.LeakyBucket;
import dev.ordersync.simulator.cost.Plan;
import dev.ordersync.simulator.cost.QueryCost;
import dev.ordersync.simulator.faults.FaultPlan;
import dev.ordersync.simulator.graphql.ShopGraphQl;
import dev.ordersync.simulator.http.ControlApi;
import dev.ordersync.simulator.http.GraphQlHandler;
import dev.ordersync.simulator.store.SimShop;
import dev.ordersync.simulator.traffic.TrafficPlayer;
import dev.ordersync.simulator.webhooks.WebhookHub;
import io.javalin.Javalin;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A local fake of the part of Shopify order-sync talks to, served over real HTTP: one shop, its
 * Admin GraphQL endpoint for any API version, a control API, and webhooks. Embeddable (port 0) and
 * standalone ({@code order-sync simulator}).
 */
public final class Simulator implements AutoCloseable {
  public static final String DEFAULT_TOKEN = "shpat_simulator";
  public static final String DEFAULT_VERSION = "2026-10";

  /**
   * A second app installed on the same shop, with its own rate limit: what the demo's and the chaos
   * run's naive importer use, as an old job would run as an app of its own.
   */
  public static final String SECOND_APP_TOKEN = "shpat_second_app";

  private final SimShop shop;
  private final FaultPlan faults;
  private final String token;

  /** Shopify limits each app on each store apart: one bucket per access token. */
  private final Map<String, LeakyBucket> buckets;

  /** The app that gets its tokens from the token endpoint; null when none is configured. */
  private final TokenIssuer issuer;

  private final LeakyBucket issuedBucket;
  private final TrafficPlayer traffic;
  private final WebhookHub webhooks;
  private final SimulatorStats stats = new SimulatorStats();
  private final BulkOperations bulk;
  private final Clock clock;

  /** Its own server; null when it is one shop of a {@link ShopFleet}, which serves it. */
  private final Javalin http;

  private final ShopFleet fleet;
  private final GraphQlHandler graphQlHandler;

  private Simulator(Builder b) {
    this.clock = b.clock;
    this.shop = new SimShop(b.clock, b.domain, b.zone, b.currency);
    this.faults = new FaultPlan(b.seed);
    this.token = b.token;
    Map<String, LeakyBucket> apps = new HashMap<>();
    apps.put(SECOND_APP_TOKEN, new LeakyBucket(b.clock, b.plan));
    apps.put(b.token, new LeakyBucket(b.clock, b.plan));
    this.buckets = Map.copyOf(apps);
    this.issuer =
        b.clientId == null
            ? null
            : new TokenIssuer(b.clock, b.clientId, b.clientSecret, b.tokenTtl);
    if (issuer != null) {
      issuer.acceptOfflineToken(b.token); // a public app's non-expiring token, to migrate
      issuer.shopDomain(b.domain);
    }
    this.issuedBucket = new LeakyBucket(b.clock, b.plan);
    this.traffic = new TrafficPlayer(shop);
    // a Dev Dashboard app's webhooks are signed with its client secret
    this.webhooks =
        new WebhookHub(shop, issuer != null ? b.clientSecret : b.webhookSecret, b.seed + 1);
    ShopGraphQl graphQl = new ShopGraphQl(shop, webhooks, b.scopes, this::baseUrl);
    this.bulk = graphQl.bulk();
    GraphQlHandler handler =
        new GraphQlHandler(this, graphQl, new QueryCost(graphQl.schema()), b.oldestVersion);
    this.graphQlHandler = handler;
    this.fleet = b.fleet;
    ControlApi control = new ControlApi(this, b.seed);
    if (fleet != null) {
      this.http = null;
      fleet.mount(this, control);
      return;
    }
    this.http =
        Javalin.create(
            config -> {
              config.startup.showJavalinBanner = false;
              config.http.maxRequestSize = 10_000_000L;
              config.routes.post("/admin/api/{version}/graphql.json", handler::handle);
              config.routes.get("/bulk-results/{file}", this::bulkResults);
              if (issuer != null) {
                config.routes.post("/admin/oauth/access_token", issuer::handle);
                config.routes.get("/admin/oauth/authorize", issuer::authorize);
              }
              control.register(config.routes);
            });
    http.start(b.host, b.port);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The GraphQL endpoint for the default API version. */
  public String endpoint() {
    return baseUrl() + "/admin/api/" + DEFAULT_VERSION + "/graphql.json";
  }

  public String baseUrl() {
    return fleet != null ? fleet.baseUrl(shop.domain()) : "http://127.0.0.1:" + http.port();
  }

  public int port() {
    return fleet != null ? fleet.port() : http.port();
  }

  /** Answers a GraphQL request to this shop (its own server's route, or its fleet's). */
  void graphQl(io.javalin.http.Context ctx) throws Exception {
    graphQlHandler.handle(ctx);
  }

  public SimShop shop() {
    return shop;
  }

  public FaultPlan faults() {
    return faults;
  }

  /** The main app's access token. */
  public String token() {
    return token;
  }

  /** The rate-limit bucket of the main app (the token the simulator was built with). */
  public LeakyBucket bucket() {
    return buckets.get(token);
  }

  /**
   * The bucket of the app this access token belongs to; empty for a token no app has, or one the
   * token endpoint issued that has expired.
   */
  public Optional<LeakyBucket> bucketOf(String accessToken) {
    if (accessToken == null) {
      return Optional.empty();
    }
    if (issuer != null && issuer.accepts(accessToken)) {
      return Optional.of(issuedBucket);
    }
    if (issuer != null && issuer.migrated(accessToken)) {
      return Optional.empty(); // exchanged for an expiring pair: no longer taken
    }
    return Optional.ofNullable(buckets.get(accessToken));
  }

  /** The token endpoint's app, when client credentials are configured. */
  public Optional<TokenIssuer> tokens() {
    return Optional.ofNullable(issuer);
  }

  /** The shop's plan, for every app's bucket. */
  public void setPlan(Plan plan) {
    buckets.values().forEach(b -> b.setPlan(plan));
  }

  /** The shop's bulk query operations. */
  public BulkOperations bulk() {
    return bulk;
  }

  /** A bulk run's result file at its signed URL, as cloud storage serves it: no access token. */
  void bulkResults(io.javalin.http.Context ctx) throws java.io.IOException {
    String file = ctx.pathParam("file");
    Optional<String> refused =
        bulk.refusal(file, ctx.queryParam("expires"), ctx.queryParam("signature"));
    if (refused.isPresent()) {
      String r = refused.get();
      ctx.status(Integer.parseInt(r.substring(0, 3))).result(r.substring(4));
      return;
    }
    ctx.contentType("application/jsonl");
    bulk.write(file, ctx.outputStream());
  }

  public TrafficPlayer traffic() {
    return traffic;
  }

  /**
   * The merchant uninstalls the app: {@code app/uninstalled} is delivered to its subscriptions of
   * that topic, then its tokens and subscriptions are gone. The statuses the app answered.
   */
  public List<Integer> uninstallApp() {
    List<Integer> answers = webhooks.uninstall();
    if (issuer != null) {
      issuer.uninstall();
    }
    return answers;
  }

  public WebhookHub webhooks() {
    return webhooks;
  }

  public SimulatorStats stats() {
    return stats;
  }

  public Clock clock() {
    return clock;
  }

  /** Brings the shop up to its clock: plays due traffic, sends due webhooks. */
  public void tick() {
    traffic.playUntil(clock.instant());
    webhooks.deliverDue();
  }

  /** Plays due traffic only (webhooks go out on {@link #tick()}). Called before each request. */
  public void catchUp() {
    traffic.playUntil(clock.instant());
  }

  /** Stops its server; a fleet's shop is stopped with its fleet. */
  @Override
  public void close() {
    if (http != null) {
      http.stop();
    }
    webhooks.close();
  }

  public static final class Builder {
    private Clock clock = Clock.systemUTC();
    private String token = DEFAULT_TOKEN;
    private long seed = 1;
    private Plan plan = Plan.STANDARD;
    private ZoneId zone = ZoneId.of("America/New_York");
    private String domain = "sim-shop.myshopify.com";
    private String currency = "USD";
    private String host = "127.0.0.1";
    private int port = 0;
    private String webhookSecret = "simulator-webhook-secret";
    private String clientId;
    private String clientSecret;
    private Duration tokenTtl = Duration.ofHours(24);
    private List<String> scopes = List.of("read_orders", "read_all_orders", "write_webhooks");
    private String oldestVersion = "2025-10";
    private ShopFleet fleet;

    public Builder clock(Clock clock) {
      this.clock = clock;
      return this;
    }

    public Builder token(String token) {
      this.token = token;
      return this;
    }

    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    public Builder plan(Plan plan) {
      this.plan = plan;
      return this;
    }

    public Builder zone(ZoneId zone) {
      this.zone = zone;
      return this;
    }

    public Builder domain(String domain) {
      this.domain = domain;
      return this;
    }

    public Builder port(int port) {
      this.port = port;
      return this;
    }

    public Builder webhookSecret(String secret) {
      this.webhookSecret = secret;
      return this;
    }

    /**
     * An app that gets its access tokens from {@code POST /admin/oauth/access_token} (client
     * credentials grant, refresh of expiring offline tokens), each valid for {@code ttl}; its
     * webhooks are then signed with the client secret.
     */
    public Builder clientCredentials(String id, String secret, Duration ttl) {
      this.clientId = id;
      this.clientSecret = secret;
      this.tokenTtl = ttl;
      return this;
    }

    /** The access scopes the app was granted (default read_orders, read_all_orders, ...). */
    public Builder scopes(List<String> granted) {
      this.scopes = List.copyOf(granted);
      return this;
    }

    /**
     * The oldest API version still served: a request for an older one is answered by this one, as
     * Shopify falls forward, and says so in {@code X-Shopify-API-Version}.
     */
    public Builder oldestVersion(String version) {
      this.oldestVersion = version;
      return this;
    }

    /** One shop of many served on the fleet's port, at {@code /shops/{domain}/...}. */
    public Builder in(ShopFleet fleet) {
      this.fleet = fleet;
      return this;
    }

    public Simulator start() {
      return new Simulator(this);
    }
  }
}
