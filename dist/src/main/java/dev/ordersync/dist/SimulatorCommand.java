package dev.ordersync.dist;

import dev.ordersync.cli.Main;
import dev.ordersync.cli.TimeOptions;
import dev.ordersync.simulator.ShopFleet;
import dev.ordersync.simulator.Simulator;
import dev.ordersync.simulator.traffic.TrafficGenerator;
import dev.ordersync.simulator.traffic.TrafficShape;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "simulator",
    mixinStandardHelpOptions = true,
    description = "The local fake Shopify, standalone.")
final class SimulatorCommand implements Callable<Integer> {
  @Option(names = "--port", defaultValue = "0", description = "port (default: any free one)")
  int port;

  @Option(
      names = "--token",
      defaultValue = Simulator.DEFAULT_TOKEN,
      description = "accepted access token (default: ${DEFAULT-VALUE})")
  String token;

  @Option(names = "--seed", defaultValue = "1", description = "seed of traffic and faults")
  long seed;

  @Option(
      names = "--orders",
      defaultValue = "0",
      description = "orders spread over the previous day (default 0)")
  int orders;

  @Option(
      names = "--timezone",
      defaultValue = "America/New_York",
      description = "the shop's " + "IANA time zone")
  String timezone;

  @picocli.CommandLine.Mixin TimeOptions time = new TimeOptions();

  @Option(
      names = "--plan",
      defaultValue = "STANDARD",
      description = "the shop's plan: STANDARD, " + "ADVANCED, PLUS, ENTERPRISE (its rate limit)")
  dev.ordersync.simulator.cost.Plan plan;

  @Option(
      names = "--webhook-secret",
      defaultValue = "simulator-webhook-secret",
      description = "the secret webhooks are signed with")
  String webhookSecret;

  @Option(
      names = "--client-id",
      paramLabel = "ID",
      description =
          "also serve Shopify's token "
              + "endpoint, POST /admin/oauth/access_token, for an app with this client id")
  String clientId;

  @Option(
      names = "--client-secret",
      paramLabel = "SECRET",
      description = "that app's client " + "secret (its webhooks are then signed with it)")
  String clientSecret;

  @Option(
      names = "--token-ttl",
      paramLabel = "SECONDS",
      defaultValue = "86400",
      description = "how long the tokens it grants last (default ${DEFAULT-VALUE})")
  long tokenTtl;

  @Option(
      names = "--shops",
      paramLabel = "N",
      defaultValue = "1",
      description =
          "serve N shops on the port (a fleet): shop-001.myshopify.com ... at /shops/{domain}/"
              + "admin/api/{version}/graphql.json, each with its own token (shpat_shop-001 ...), "
              + "rate limit, orders and control API; their time zones cycle from --timezone "
              + "through several; GET /control/shops lists them (default 1: one shop at /admin)")
  int shops;

  /** What a fleet's shops cycle through after --timezone: a 25-hour day, half hours, UTC. */
  private static final List<String> FLEET_ZONES =
      List.of("Europe/Berlin", "Asia/Kolkata", "America/Los_Angeles", "Australia/Sydney", "UTC");

  @Override
  public Integer call() throws InterruptedException {
    if (orders < 0) {
      throw new IllegalArgumentException("--orders must be 0 or more");
    }
    if (shops < 1 || shops > 999) {
      throw new IllegalArgumentException("--shops must be between 1 and 999");
    }
    if ((clientId == null) != (clientSecret == null)) {
      throw new IllegalArgumentException("--client-id and --client-secret go together");
    }
    if (shops > 1) {
      return fleet(time.clock());
    }
    Clock clock = time.clock();
    if (tokenTtl < 1) {
      throw new IllegalArgumentException("--token-ttl must be 1 second or more");
    }
    Simulator.Builder builder =
        Simulator.builder()
            .port(port)
            .token(token)
            .seed(seed)
            .clock(clock)
            .plan(plan)
            .webhookSecret(webhookSecret)
            .zone(java.time.ZoneId.of(timezone));
    if (clientId != null) {
      builder.clientCredentials(clientId, clientSecret, Duration.ofSeconds(tokenTtl));
    }
    Simulator sim = builder.start();
    addOrders(sim, seed, clock.instant());
    CountDownLatch stop = tickUntilStopped(sim::tick, sim);
    System.out.println(sim.endpoint());
    System.out.flush();
    sim.tokens()
        .ifPresent(
            t ->
                System.err.printf(
                    "simulator: token endpoint %s/admin/oauth/"
                        + "access_token for client id %s (tokens last %d s); an installed app's refresh token: "
                        + "%s%n",
                    sim.baseUrl(), clientId, tokenTtl, t.installRefreshToken()));
    System.err.printf(
        "simulator: shop %s (%s), %d order(s), token as given (a second app: %s), "
            + "control API at %s/control%n",
        sim.shop().domain(),
        sim.shop().zone(),
        sim.shop().size(),
        Simulator.SECOND_APP_TOKEN,
        sim.baseUrl());
    stop.await();
    return Main.OK;
  }

  /** A fleet of {@code shops} on one port; prints a configuration's {@code shops:} for them. */
  private int fleet(Clock clock) throws InterruptedException {
    ShopFleet fleet = ShopFleet.start(port);
    StringBuilder config = new StringBuilder("shops:\n");
    for (int i = 1; i <= shops; i++) {
      String name = String.format("shop-%03d", i);
      String zone = i == 1 ? timezone : FLEET_ZONES.get((i - 2) % FLEET_ZONES.size());
      Simulator.Builder builder =
          Simulator.builder()
              .in(fleet)
              .domain(name + ".myshopify.com")
              .token("shpat_" + name)
              .seed(seed + 10L * i)
              .clock(clock)
              .plan(plan)
              .webhookSecret(webhookSecret)
              .zone(java.time.ZoneId.of(zone));
      if (clientId != null) {
        // one public app on every shop: each merchant installs it at
        // /shops/{domain}/admin/oauth/authorize
        builder.clientCredentials(clientId, clientSecret, Duration.ofSeconds(tokenTtl));
      }
      Simulator shop = builder.start();
      addOrders(shop, seed + 10L * i, clock.instant());
      config.append(
          String.format(
              "  - domain: %s%n    token: %s%n    apiUrl: %s%n    timezone: %s%n",
              shop.shop().domain(), shop.token(), shop.endpoint(), zone));
    }
    CountDownLatch stop = tickUntilStopped(fleet::tick, fleet);
    System.out.print(config);
    System.out.flush();
    System.err.printf(
        "simulator: %d shops on port %d, %d order(s) each; the list at "
            + "http://127.0.0.1:%d/control/shops, each shop's control API at "
            + "/shops/{domain}/control%n",
        shops, fleet.port(), orders, fleet.port());
    if (clientId != null) {
      System.err.printf(
          "simulator: the public app %s is on every shop: in order-sync's config, app.shopifyUrl: "
              + "http://127.0.0.1:%d/shops/{shop}%n",
          clientId, fleet.port());
    }
    stop.await();
    return Main.OK;
  }

  private void addOrders(Simulator sim, long seed, Instant now) {
    if (orders > 0) {
      sim.traffic()
          .plan(
              new TrafficGenerator(seed, sim.shop().zone())
                  .between(
                      now.minus(Duration.ofDays(1)),
                      now,
                      orders,
                      TrafficShape.realistic().withoutFlashSale()));
      sim.catchUp();
    }
  }

  /** Ticks every 200 ms until the process is asked to stop, then closes {@code server}. */
  private static CountDownLatch tickUntilStopped(Runnable tick, AutoCloseable server) {
    Thread ticker =
        new Thread(
            () -> {
              while (!Thread.currentThread().isInterrupted()) {
                tick.run();
                try {
                  Thread.sleep(200);
                } catch (InterruptedException e) {
                  return;
                }
              }
            },
            "simulator-tick");
    ticker.setDaemon(true);
    ticker.start();
    CountDownLatch stop = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  ticker.interrupt();
                  try {
                    server.close();
                  } catch (Exception e) {
                    // stopping anyway
                  }
                  stop.countDown();
                }));
    return stop;
  }
}
