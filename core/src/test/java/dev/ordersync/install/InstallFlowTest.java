package dev.ordersync.install;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ordersync.App;
import dev.ordersync.config.AppConfig;
import dev.ordersync.service.Service;
import dev.ordersync.shopify.Secret;
import dev.ordersync.shops.InstalledShops;
import dev.ordersync.simulator.ShopFleet;
import dev.ordersync.simulator.Simulator;
import dev.ordersync.simulator.auth.TokenIssuer;
import dev.ordersync.sync.CrashPoints;
import dev.ordersync.sync.SyncSettings;
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
            new App.Options(clock, d -> {}, CrashPoints.NONE, seed)
                .withTime(time, d -> Thread.sleep(time.toWall(d).toMillis())));
    open.add(app);
    return app;
  }

  private Service run(App app, AppConfig cfg) {
    Service s = app.service().start(cfg.http());
    open.add(s);
    return s;
  }

  /** Shopify's install request for {@code shop}, signed with {@code secret} at {@code at}. */
  private URI installRequest(String shop, String secret, Instant at) {
    Map<String, String> q = new LinkedHashMap<>();
    q.put("shop", shop);
    q.put("timestamp", String.valueOf(at.getEpochSecond()));
    q.put("host", "YWRtaW4uc2hvcGlmeS5jb20");
    return URI.create(url + "/shopify/install?" + TokenIssuer.signedQuery(q, secret));
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
                sims.stream().allMatch(s -> app.storedOrders().countAll(s.shop().domain()) == 10));

    List<InstalledShops.Installed> installed = app.installedShops().all();
    assertThat(installed)
        .extracting(InstalledShops.Installed::shop)
        .containsExactly("shop-001.myshopify.com", "shop-002.myshopify.com");
    assertThat(installed.get(0).scopes()).isEqualTo("read_all_orders,read_orders");
    assertThat(app.shops().names())
        .containsExactly("shop-001.myshopify.com", "shop-002.myshopify.com");
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

    // a new order reaches order-sync by its webhook, signed with the app's client secret
    Simulator first = sims.get(0);
    first.shop().create(new Drafts(9).next(), clock.instant(), clock.instant());
    await()
        .atMost(30, TimeUnit.SECONDS)
        .pollInterval(100, TimeUnit.MILLISECONDS)
        .until(
            () -> {
              fleet.tick();
              return app.webhookInbox().lastReceivedAt(first.shop().domain()).isPresent()
                  && app.storedOrders().countAll(first.shop().domain()) == 11;
            });
  }
}
