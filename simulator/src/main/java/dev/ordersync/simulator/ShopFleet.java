package dev.ordersync.simulator;

import io.javalin.Javalin;
import io.javalin.http.Context;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Many shops on one port: each a {@link Simulator} of its own (domain, access token, rate-limit
 * bucket, time zone, traffic, webhooks), served under {@code /shops/{domain}/}: its GraphQL
 * endpoint at {@code /shops/{domain}/admin/api/{version}/graphql.json} and its bulk results there
 * too. What a benchmark or a test of hundreds of shops needs without hundreds of servers. Shops
 * join with {@code Simulator.builder().in(fleet)...start()}; their control API is their Java one
 * (no {@code /control} routes here).
 */
public final class ShopFleet implements AutoCloseable {
  private final Javalin http;
  private final Map<String, Simulator> shops = new ConcurrentHashMap<>();

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
            });
    http.start(host, port);
  }

  public static ShopFleet start(int port) {
    return new ShopFleet("127.0.0.1", port);
  }

  void mount(Simulator shop) {
    if (shops.putIfAbsent(shop.shop().domain(), shop) != null) {
      throw new IllegalArgumentException(shop.shop().domain() + " is already in this fleet");
    }
  }

  private Simulator shop(Context ctx) {
    Simulator s = shops.get(ctx.pathParam("domain"));
    if (s == null) {
      // as Shopify answers for a shop that does not exist
      throw new io.javalin.http.NotFoundResponse("no shop " + ctx.pathParam("domain"));
    }
    return s;
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
