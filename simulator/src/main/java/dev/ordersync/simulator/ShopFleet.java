package dev.ordersync.simulator;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ordersync.simulator.http.ControlApi;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Many shops on one port: each a {@link Simulator} of its own (domain, access token, rate-limit
 * bucket, time zone, traffic, webhooks), served under {@code /shops/{domain}/}: its GraphQL
 * endpoint at {@code /shops/{domain}/admin/api/{version}/graphql.json} and its bulk results there
 * too, and its control API at {@code /shops/{domain}/control/...} (the routes of a lone simulator's
 * {@code /control}). {@code GET /control/shops} lists the shops. What a benchmark or a test of
 * hundreds of shops needs without hundreds of servers. Shops join with {@code
 * Simulator.builder().in(fleet)...start()}.
 */
public final class ShopFleet implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final Javalin http;
  private final Map<String, Simulator> shops = new ConcurrentHashMap<>();
  private final Map<String, ControlApi> controls = new ConcurrentHashMap<>();

  private ShopFleet(String host, int port) {
    this.http =
        Javalin.create(
            config -> {
              config.startup.showJavalinBanner = false;
              config.http.maxRequestSize = 10_000_000L;
              config.routes.post(
                  "/shops/{domain}/admin/api/{version}/graphql.json",
                  ctx -> shop(ctx).graphQl(ctx));
              config.routes.get(
                  "/shops/{domain}/bulk-results/{file}", ctx -> shop(ctx).bulkResults(ctx));
              config.routes.post(
                  "/shops/{domain}/admin/oauth/access_token", ctx -> issuer(ctx).handle(ctx));
              config.routes.get(
                  "/shops/{domain}/admin/oauth/authorize", ctx -> issuer(ctx).authorize(ctx));
              config.routes.get("/control/shops", this::list);
              ControlApi.register(
                  config.routes,
                  "/shops/{domain}/control",
                  ctx -> controls.get(shop(ctx).shop().domain()));
            });
    http.start(host, port);
  }

  public static ShopFleet start(int port) {
    return new ShopFleet("127.0.0.1", port);
  }

  void mount(Simulator shop, ControlApi control) {
    String domain = shop.shop().domain();
    if (controls.putIfAbsent(domain, control) != null) {
      throw new IllegalArgumentException(domain + " is already in this fleet");
    }
    shops.put(domain, shop); // last: a shop is served once its control API is there
  }

  /** Each shop: domain, GraphQL endpoint, access token, time zone, control API; by domain. */
  private void list(Context ctx) throws java.io.IOException {
    List<Map<String, String>> list = new java.util.ArrayList<>();
    for (Simulator s :
        shops().stream().sorted(java.util.Comparator.comparing(x -> x.shop().domain())).toList()) {
      Map<String, String> m = new java.util.LinkedHashMap<>();
      m.put("domain", s.shop().domain());
      m.put("endpoint", s.endpoint());
      m.put("token", s.token());
      m.put("timezone", s.shop().zone().getId());
      m.put("control", s.baseUrl() + "/control");
      list.add(m);
    }
    ctx.contentType("application/json").result(JSON.writeValueAsString(list));
  }

  /** Brings every shop up to its clock (see {@link Simulator#tick()}). */
  public void tick() {
    shops.values().forEach(Simulator::tick);
  }

  private Simulator shop(Context ctx) {
    Simulator s = shops.get(ctx.pathParam("domain"));
    if (s == null) {
      // as Shopify answers for a shop that does not exist
      throw new io.javalin.http.NotFoundResponse("no shop " + ctx.pathParam("domain"));
    }
    return s;
  }

  /** The shop's app, when its shops were built with one ({@code clientCredentials}). */
  private dev.ordersync.simulator.auth.TokenIssuer issuer(Context ctx) {
    return shop(ctx)
        .tokens()
        .orElseThrow(() -> new io.javalin.http.NotFoundResponse("no app on this shop"));
  }

  String baseUrl(String domain) {
    return "http://127.0.0.1:" + http.port() + "/shops/" + domain;
  }

  public int port() {
    return http.port();
  }

  public List<Simulator> shops() {
    return List.copyOf(shops.values());
  }

  @Override
  public void close() {
    http.stop();
  }
}
