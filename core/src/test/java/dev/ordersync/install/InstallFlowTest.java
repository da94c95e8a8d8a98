package dev.ordersync.install;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ordersync.App;
import dev.ordersync.AppOptions;
import dev.ordersync.config.AppConfig;
import dev.ordersync.config.ShopDomain;
import dev.ordersync.config.SyncSettings;
import dev.ordersync.secrets.Secret;
import dev.ordersync.service.Service;
import dev.ordersync.shops.InstalledShops;
import dev.ordersync.shops.ShopStates;
import dev.ordersync.simulator.ShopFleet;
import dev.ordersync.simulator.Simulator;
import dev.ordersync.simulator.auth.Merchant;
import dev.ordersync.simulator.auth.TokenIssuer;
import dev.ordersync.sync.CrashPoints;
import dev.ordersync.testing.Drafts;
import dev.ordersync.testing.TestDatabases;
import dev.ordersync.time.ScaledClock;
import dev.ordersync.time.TimeScale;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Issue 25: merchants install order-sync themselves while {@code run} runs: Shopify's install
 * request, its authorize page (the simulator approves at once), the callback, the code grant, the
 * subscriptions, the shop's jobs on the cluster; then the uninstall. Real HTTP end to end; the
 * service's time runs 60 times faster than the wall clock (a sync a second).
 */
class InstallFlowTest {
  private static final double SCALE = 60;
  private static final String CLIENT_ID = "order-sync-app";
  private static final String CLIENT_SECRET = "app-secret-for-tests";

  private final HttpClient browser =
      HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
  private final List<AutoCloseable> open = new ArrayList<>();
  private ScaledClock clock;
  private TimeScale time;
  private ShopFleet fleet;
  private final List<Simulator> sims = new ArrayList<>();
  private String url;

  @AfterEach
  void close() throws Exception {
    for (int i = open.size() - 1; i >= 0; i--) {
      open.get(i).close();
    }
  }

  private void fleetOf(int shops, Duration tokenTtl) {
    Clock wall = Clock.systemUTC();
    Instant origin = Instant.parse("2026-12-04T15:00:00Z");
    clock = new ScaledClock(wall, origin, wall.instant(), SCALE);
    time = new TimeScale(clock, SCALE);
    fleet = ShopFleet.start(0);
    open.add(fleet);
    Drafts drafts = new Drafts(3);
    for (int i = 1; i <= shops; i++) {
      Simulator sim =
          Simulator.builder()
              .in(fleet)
              .clock(clock)
              .seed(i)
              .domain(String.format("shop-%03d.myshopify.com", i))
              .token("shpat_unused_" + i)
              .clientCredentials(CLIENT_ID, CLIENT_SECRET, tokenTtl)
              .start();
      for (int k = 0; k < 10; k++) {
        Instant at = origin.minus(Duration.ofMinutes(50)).plusSeconds(k * 60L);
        sim.shop().create(drafts.next(), at, at);
      }
      sims.add(sim);
    }
  }

  private AppConfig config() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    url = "http://127.0.0.1:" + port;
    return AppConfig.empty()
        .withSync(SyncSettings.defaults())
        .withHttp(new AppConfig.HttpSettings("127.0.0.1", port, null, null, List.of()))
        .withApp(
            new AppConfig.AppSettings(
                CLIENT_ID,
                new Secret(CLIENT_SECRET),
                URI.create(url),
                AppConfig.AppSettings.DEFAULT_SCOPES,
                "http://127.0.0.1:" + fleet.port() + "/shops/{shop}",
                false));
  }

  private App app(AppConfig cfg, String db, long seed) {
    App app =
        App.open(
            cfg,
            db,
            new AppOptions(clock, d -> {}, CrashPoints.NONE, seed)
                .withTime(time, d -> Thread.sleep(time.toWall(d).toMillis())));
    open.add(app);
    return app;
  }

  private Service run(App app, AppConfig cfg) {
    Service s = app.service().create().start(cfg.http());
    open.add(s);
    return s;
  }

  /** Shopify's install request for {@code shop}, signed with {@code secret} at {@code at}. */
  private URI installRequest(String shop, String secret, Instant at) {
    return Merchant.installRequest(url, shop, secret, at);
  }

  private HttpResponse<String> get(URI uri) throws Exception {
    return browser.send(
        HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  private static URI location(HttpResponse<String> r) {
    return URI.create(r.headers().firstValue("Location").orElseThrow());
  }

  /** What the merchant's browser does: install request, authorize page, callback. */
  private HttpResponse<String> install(String shop) throws Exception {
    HttpResponse<String> toShopify = get(installRequest(shop, CLIENT_SECRET, clock.instant()));
    assertThat(toShopify.statusCode()).as(toShopify.body()).isEqualTo(302);
    assertThat(location(toShopify).toString())
        .startsWith(
            "http://127.0.0.1:" + fleet.port() + "/shops/" + shop + "/admin/oauth/authorize")
        .contains("client_id=" + CLIENT_ID)
        .contains("scope=read_orders%2Cread_all_orders")
        .contains("redirect_uri=" + java.net.URLEncoder.encode(url + "/shopify/callback", "UTF-8"));
    HttpResponse<String> back = get(location(toShopify));
    assertThat(back.statusCode()).isEqualTo(302);
    return get(location(back));
  }

  @ParameterizedTest
  @EnumSource(TestDatabases.Kind.class)
  void two_shops_installed_while_run_runs_are_imported_without_a_restart(TestDatabases.Kind kind)
      throws Exception {
    fleetOf(2, Duration.ofHours(1));
    AppConfig cfg = config();
    String db = TestDatabases.fresh(kind);
    App app = app(cfg, db, 1);
    run(app, cfg);

    for (Simulator sim : sims) {
      HttpResponse<String> page = install(sim.shop().domain());
      assertThat(page.statusCode()).as(page.body()).isEqualTo(200);
      assertThat(page.body())
          .contains("order-sync is importing the orders of " + sim.shop().domain())
          .doesNotContain(CLIENT_SECRET)
          .doesNotContain("shpat_");
    }
    await()
        .atMost(60, TimeUnit.SECONDS)
        .pollInterval(100, TimeUnit.MILLISECONDS)
        .until(
            () ->
                sims.stream()
                    .allMatch(s -> app.orders().stored().countAll(s.shop().domain()) == 10));

    List<InstalledShops.Installed> installed = app.shops().installed().all();
    assertThat(installed)
        .extracting(InstalledShops.Installed::shop)
        .containsExactly("shop-001.myshopify.com", "shop-002.myshopify.com");
    assertThat(installed.get(0).scopes()).isEqualTo("read_all_orders,read_orders");
    assertThat(app.shops().apis().names())
        .containsExactly(
            ShopDomain.of("shop-001.myshopify.com"), ShopDomain.of("shop-002.myshopify.com"));
    for (Simulator sim : sims) {
      assertThat(sim.webhooks().subscriptions())
          .extracting(s -> s.topic() + " " + s.uri())
          .containsExactlyInAnyOrder(
              "ORDERS_CREATE " + url + "/webhooks/shopify",
              "ORDERS_UPDATED " + url + "/webhooks/shopify",
              "ORDERS_CANCELLED " + url + "/webhooks/shopify",
              "ORDERS_DELETE " + url + "/webhooks/shopify",
              "APP_UNINSTALLED " + url + "/webhooks/shopify");
    }

    // the dashboard and /metrics cover the shops installed after the service started
    String metrics = get(URI.create(url + "/metrics")).body();
    String page = get(URI.create(url + "/")).body();
    for (Simulator sim : sims) {
      assertThat(metrics)
          .contains("ordersync_shop_active{shop=\"" + sim.shop().domain() + "\"} 1.0");
      assertThat(page).contains("data-shop=\"" + sim.shop().domain() + "\"");
    }

    // a new order reaches order-sync by its webhook, signed with the app's client secret
    Simulator first = sims.get(0);
    first.shop().create(new Drafts(9).next(), clock.instant(), clock.instant());
    await()
        .atMost(30, TimeUnit.SECONDS)
        .pollInterval(100, TimeUnit.MILLISECONDS)
        .until(
            () -> {
              fleet.tick();
              return app.webhooks()
                      .inbox()
                      .lastReceivedAt(ShopDomain.of(first.shop().domain()))
                      .isPresent()
                  && app.orders().stored().countAll(first.shop().domain()) == 11;
            });
  }

  @ParameterizedTest
  @EnumSource(TestDatabases.Kind.class)
  void forged_replayed_expired_and_refused_installs_are_refused_and_record_nothing(
      TestDatabases.Kind kind) throws Exception {
    fleetOf(2, Duration.ofHours(1));
    AppConfig cfg = config();
    App app = app(cfg, TestDatabases.fresh(kind), 1);
    run(app, cfg);
    String shop = "shop-001.myshopify.com";
    Instant now = clock.instant();

    assertThat(get(installRequest(shop, "not-the-app-secret", now)).statusCode())
        .as("signed with another secret")
        .isEqualTo(400);
    assertThat(get(URI.create(url + "/shopify/install?shop=" + shop)).statusCode())
        .as("no hmac")
        .isEqualTo(400);
    assertThat(get(installRequest("evil.example.com", CLIENT_SECRET, now)).statusCode())
        .as("not a myshopify.com domain")
        .isEqualTo(400);
    assertThat(
            get(installRequest(shop, CLIENT_SECRET, now.minus(Duration.ofHours(2)))).statusCode())
        .as("a request of two hours ago, replayed")
        .isEqualTo(400);
    HttpResponse<String> tampered = get(installRequest(shop, CLIENT_SECRET, now));
    URI authorize = location(tampered);
    HttpResponse<String> back = get(authorize);
    URI callback = location(back);
    assertThat(get(URI.create(callback.toString().replace("shop-001", "shop-002"))).statusCode())
        .as("a callback whose shop was changed (the hmac no longer matches)")
        .isEqualTo(400);

    // a state issued for shop-001, used by a correctly signed callback of shop-002
    Map<String, String> q = new LinkedHashMap<>();
    q.put("code", "whatever");
    q.put("shop", "shop-002.myshopify.com");
    q.put("state", query(callback).get("state"));
    q.put("timestamp", String.valueOf(now.getEpochSecond()));
    assertThat(
            get(URI.create(url + "/shopify/callback?" + TokenIssuer.signedQuery(q, CLIENT_SECRET)))
                .statusCode())
        .as("the state of another shop")
        .isEqualTo(400);
    assertThat(app.shops().installed().all()).isEmpty();

    HttpResponse<String> done = get(callback);
    assertThat(done.statusCode()).as(done.body()).isEqualTo(200);
    HttpResponse<String> replay = get(callback);
    assertThat(replay.statusCode()).as("the same callback again").isEqualTo(400);
    assertThat(replay.body()).contains("used already");

    // a state that is good, with a code Shopify refuses
    URI second =
        location(get(location(get(installRequest("shop-002.myshopify.com", CLIENT_SECRET, now)))));
    Map<String, String> badCode = new LinkedHashMap<>(query(second));
    badCode.put("code", "a-code-shopify-never-gave");
    HttpResponse<String> refused =
        get(
            URI.create(
                url + "/shopify/callback?" + TokenIssuer.signedQuery(badCode, CLIENT_SECRET)));
    assertThat(refused.statusCode()).isEqualTo(400);
    assertThat(refused.body()).contains("refused the authorization code");

    // the merchant grants less than read_orders
    sims.get(1).tokens().orElseThrow().grantScopes("read_products");
    HttpResponse<String> scopes = install("shop-002.myshopify.com");
    assertThat(scopes.statusCode()).isEqualTo(403);
    assertThat(scopes.body()).contains("read_orders").doesNotContain(CLIENT_SECRET);

    assertThat(app.shops().installed().all())
        .extracting(InstalledShops.Installed::shop)
        .containsExactly(shop);
    Integer tokens =
        app.service()
            .db()
            .read(
                h ->
                    h.createQuery(
                            "SELECT COUNT(*) FROM shop_tokens WHERE shop = 'shop-002.myshopify.com'")
                        .mapTo(Integer.class)
                        .one());
    assertThat(tokens).as("no token kept for a refused install").isZero();
  }

  @ParameterizedTest
  @EnumSource(TestDatabases.Kind.class)
  void an_uninstall_stops_every_call_to_that_shop_while_the_other_goes_on(TestDatabases.Kind kind)
      throws Exception {
    fleetOf(2, Duration.ofHours(1));
    AppConfig cfg = config();
    App app = app(cfg, TestDatabases.fresh(kind), 1);
    run(app, cfg);
    for (Simulator sim : sims) {
      assertThat(install(sim.shop().domain()).statusCode()).isEqualTo(200);
    }
    await()
        .atMost(60, TimeUnit.SECONDS)
        .pollInterval(100, TimeUnit.MILLISECONDS)
        .until(
            () ->
                sims.stream()
                    .allMatch(s -> app.orders().stored().countAll(s.shop().domain()) == 10));

    Simulator gone = sims.get(0);
    Simulator stays = sims.get(1);
    assertThat(gone.uninstallApp()).as("app/uninstalled answered").containsExactly(200);
    await()
        .atMost(30, TimeUnit.SECONDS)
        .pollInterval(100, TimeUnit.MILLISECONDS)
        .until(
            () ->
                app.shops().states().of(ShopDomain.of(gone.shop().domain()))
                    == ShopStates.State.UNINSTALLED);
    // one minute of order-sync's time for a pass already under way to end
    Instant settled = clock.instant().plus(Duration.ofMinutes(1));
    await().atMost(10, TimeUnit.SECONDS).until(() -> !clock.instant().isBefore(settled));
    long requests = gone.stats().requests();
    gone.shop().create(new Drafts(11).next(), clock.instant(), clock.instant());
    stays.shop().create(new Drafts(12).next(), clock.instant(), clock.instant());
    await()
        .atMost(60, TimeUnit.SECONDS)
        .pollInterval(100, TimeUnit.MILLISECONDS)
        .until(() -> app.orders().stored().countAll(stays.shop().domain()) == 11);
    // five more minutes of syncs of the other shop
    Instant later = clock.instant().plus(Duration.ofMinutes(5));
    await().atMost(30, TimeUnit.SECONDS).until(() -> !clock.instant().isBefore(later));
    assertThat(gone.stats().requests()).as("calls to the uninstalled shop").isEqualTo(requests);
    assertThat(app.orders().stored().countAll(gone.shop().domain()))
        .as("its orders stay")
        .isEqualTo(10);
    Integer tokens =
        app.service()
            .db()
            .read(
                h ->
                    h.createQuery("SELECT COUNT(*) FROM shop_tokens WHERE shop = :shop")
                        .bind("shop", gone.shop().domain())
                        .mapTo(Integer.class)
                        .one());
    assertThat(tokens).as("its tokens are deleted").isZero();

    // installed again: resumes from its watermark, the order made meanwhile imported
    assertThat(install(gone.shop().domain()).statusCode()).isEqualTo(200);
    await()
        .atMost(60, TimeUnit.SECONDS)
        .pollInterval(100, TimeUnit.MILLISECONDS)
        .until(() -> app.orders().stored().countAll(gone.shop().domain()) == 11);
    assertThat(app.shops().states().of(ShopDomain.of(gone.shop().domain())))
        .isEqualTo(ShopStates.State.ACTIVE);
  }

  @org.junit.jupiter.api.Test
  void a_second_instance_serves_a_shop_installed_through_the_first_across_token_lifetimes()
      throws Exception {
    fleetOf(1, Duration.ofMinutes(5));
    AppConfig cfg = config();
    String db = TestDatabases.fresh(TestDatabases.Kind.POSTGRES);
    App first = app(cfg, db, 1);
    Service firstService = run(first, cfg);
    AppConfig other =
        cfg.withHttp(new AppConfig.HttpSettings("127.0.0.1", 0, null, null, List.of()));
    App second = app(other, db, 2);
    Service secondService = run(second, other);
    Simulator sim = sims.get(0);
    String shop = sim.shop().domain();
    assertThat(install(shop).statusCode()).isEqualTo(200);
    await()
        .atMost(60, TimeUnit.SECONDS)
        .pollInterval(100, TimeUnit.MILLISECONDS)
        .until(() -> second.orders().stored().countAll(shop) == 10);

    // the first instance stops; the second goes on alone through several 5-minute tokens
    open.remove(firstService);
    firstService.close();
    Drafts drafts = new Drafts(21);
    Instant end = clock.instant().plus(Duration.ofMinutes(18));
    int made = 0;
    while (clock.instant().isBefore(end)) {
      sim.shop().create(drafts.next(), clock.instant(), clock.instant());
      made++;
      Instant next = clock.instant().plus(Duration.ofMinutes(3));
      await().atMost(10, TimeUnit.SECONDS).until(() -> !clock.instant().isBefore(next));
    }
    int expected = 10 + made;
    await()
        .atMost(60, TimeUnit.SECONDS)
        .pollInterval(100, TimeUnit.MILLISECONDS)
        .until(() -> second.orders().stored().countAll(shop) == expected);
    assertThat(sim.tokens().orElseThrow().grants())
        .as("access tokens granted: the install's, then a refresh every few minutes")
        .isGreaterThanOrEqualTo(4);
    assertThat(second.service().runningJobs().completed()).isPositive();
    assertThat(secondService.port()).isPositive();
  }

  private static Map<String, String> query(URI uri) {
    Map<String, String> out = new LinkedHashMap<>();
    for (String pair : uri.getRawQuery().split("&")) {
      int eq = pair.indexOf('=');
      out.put(
          java.net.URLDecoder.decode(
              pair.substring(0, eq), java.nio.charset.StandardCharsets.UTF_8),
          java.net.URLDecoder.decode(
              pair.substring(eq + 1), java.nio.charset.StandardCharsets.UTF_8));
    }
    return out;
  }
}
