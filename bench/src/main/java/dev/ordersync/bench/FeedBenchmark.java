package dev.ordersync.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ordersync.App;
import dev.ordersync.AppOptions;
import dev.ordersync.config.AppConfig;
import dev.ordersync.orders.FetchedOrder;
import dev.ordersync.orders.Order;
import dev.ordersync.orders.StorePath;
import dev.ordersync.secrets.Hmac;
import dev.ordersync.secrets.Secret;
import dev.ordersync.service.HttpApi;
import dev.ordersync.shopify.Sleeper;
import dev.ordersync.simulator.Simulator;
import dev.ordersync.simulator.store.SimOrder;
import dev.ordersync.simulator.time.VirtualClock;
import dev.ordersync.simulator.traffic.TrafficGenerator;
import dev.ordersync.simulator.traffic.TrafficShape;
import dev.ordersync.simulator.webhooks.RestPayload;
import dev.ordersync.sync.CrashPoints;
import dev.ordersync.webhook.WebhookWorker;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The OMS feed over HTTP on loopback, as a client reads it (long polls of up to 1000 changes, each
 * with its order). First, changes per second through the feed while the store writes new orders at
 * full speed, against the store's own rate without a reader, on PostgreSQL. Then the latency from a
 * webhook's 200 to its change being served to a waiting reader, deliveries paced at one every 20
 * ms, on H2 and PostgreSQL.
 */
public final class FeedBenchmark {
  private static final String SECRET = "bench-secret";
  private static final String TOKEN = "bench-feed-token";
  private static final ObjectMapper JSON = new ObjectMapper();

  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
    int deliveries = args.length > 1 ? Integer.parseInt(args[1]) : 2_000;
    Report.machine();
    List<Order> orders = StoreBenchmark.orders(n, new Random(42));
    try (BenchDatabases dbs = new BenchDatabases()) {
      throughput(dbs.postgres("alone"), orders, false);
      throughput(dbs.postgres("followed"), orders, true);
      latency("H2 file", dbs.h2("latency"), deliveries);
      latency("PostgreSQL 17", dbs.postgres("latency"), deliveries);
    }
  }

  private static void throughput(String url, List<Order> orders, boolean followed)
      throws Exception {
    VirtualClock simClock = new VirtualClock(Fixtures.dayStart());
    try (Simulator sim = Simulator.builder().clock(simClock).start();
        App app = open(sim, url)) {
      HttpApi api = app.service().httpApi(() -> {}).start("127.0.0.1", 0);
      Reader reader = new Reader(api.port(), orders.size(), null);
      Thread follower = new Thread(reader, "feed-reader");
      long t0 = System.nanoTime();
      if (followed) {
        follower.start();
      }
      for (int i = 0; i < orders.size(); i += 250) {
        List<FetchedOrder> page =
            orders.subList(i, Math.min(orders.size(), i + 250)).stream()
                .map(FetchedOrder::mapped)
                .toList();
        app.orders().batches().store(page, StorePath.POLL);
      }
      double stored = (System.nanoTime() - t0) / 1e9;
      String label = "PostgreSQL 17, " + orders.size() + " new orders in pages of 250";
      if (!followed) {
        Report.figure(
            "store path without a feed reader, " + label, orders.size() / stored, "orders/s");
      } else {
        follower.join();
        double read = (reader.lastSeenNanos - t0) / 1e9;
        Report.figure(
            "store path with a feed reader, " + label, orders.size() / stored, "orders/s");
        Report.figure("  changes read through GET /api/v1/changes", reader.seen, "");
        Report.figure(
            "  changes/s through the feed (first store to last change read)",
            reader.seen / read,
            "changes/s");
        Report.figure(
            "  reader behind the store when the store finished", (read - stored) * 1e3, "ms");
      }
      api.close();
    }
  }

  private static void latency(String label, String url, int n) throws Exception {
    VirtualClock simClock = new VirtualClock(Fixtures.dayStart());
    try (Simulator sim = Simulator.builder().clock(simClock).start();
        App app = open(sim, url)) {
      TrafficGenerator gen = new TrafficGenerator(4, ZoneId.of("America/New_York"));
      List<String> ids = new ArrayList<>(n);
      List<byte[]> bodies = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        SimOrder o = sim.shop().create(gen.draft(TrafficShape.even()));
        ids.add(o.gid());
        bodies.add(
            JSON.writeValueAsString(RestPayload.order(o, sim.shop().zone()))
                .getBytes(StandardCharsets.UTF_8));
      }
      WebhookWorker worker = app.webhooks().worker();
      HttpApi api = app.service().httpApi(worker::wake).start("127.0.0.1", 0);
      worker.start();
      Map<String, Long> seenAt = new ConcurrentHashMap<>();
      Reader reader = new Reader(api.port(), n, seenAt);
      Thread follower = new Thread(reader, "feed-reader");
      follower.start();
      HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      URI hooks = URI.create("http://127.0.0.1:" + api.port() + "/webhooks/shopify");
      long[] acked = new long[n];
      for (int i = 0; i < n; i++) {
        long due = System.nanoTime() + 20_000_000L;
        HttpRequest req =
            HttpRequest.newBuilder(hooks)
                .header("X-Shopify-Topic", "orders/create")
                .header("X-Shopify-Shop-Domain", sim.shop().domain())
                .header("X-Shopify-Webhook-Id", UUID.randomUUID().toString())
                .header("X-Shopify-Triggered-At", Clock.systemUTC().instant().toString())
                .header("X-Shopify-Hmac-Sha256", Hmac.sign(SECRET, bodies.get(i)))
                .POST(HttpRequest.BodyPublishers.ofByteArray(bodies.get(i)))
                .build();
        if (http.send(req, HttpResponse.BodyHandlers.discarding()).statusCode() != 200) {
          throw new IllegalStateException("a delivery was not acknowledged");
        }
        acked[i] = System.nanoTime();
        long rest = due - System.nanoTime();
        if (rest > 0) {
          Thread.sleep(rest / 1_000_000L, (int) (rest % 1_000_000L));
        }
      }
      follower.join();
      worker.close();
      api.close();
      double[] ms = new double[n];
      for (int i = 0; i < n; i++) {
        ms[i] = (seenAt.get(ids.get(i)) - acked[i]) / 1e6;
      }
      Arrays.sort(ms);
      Report.figure(
          "webhook 200 to change served, " + label + ", " + n + " deliveries, one every 20 ms, p50",
          ms[n / 2],
          "ms");
      Report.figure("  p99", ms[(int) (n * 0.99)], "ms");
      Report.figure("  max", ms[n - 1], "ms");
    }
  }

  private static App open(Simulator sim, String url) {
    AppConfig config =
        Fixtures.config(sim, List.of(new Secret(SECRET)))
            .withHttp(
                new AppConfig.HttpSettings(
                    "127.0.0.1", 0, "127.0.0.1", null, List.of(new Secret(TOKEN))));
    return App.open(
        config, url, new AppOptions(Clock.systemUTC(), Sleeper.real(), CrashPoints.NONE, 1));
  }

  /**
   * Long-polls the feed until it has read {@code expected} changes; when each id was first seen.
   */
  private static final class Reader implements Runnable {
    private final HttpClient http =
        HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final String base;
    private final int expected;
    private final Map<String, Long> seenAt;
    volatile int seen;
    volatile long lastSeenNanos;

    Reader(int port, int expected, Map<String, Long> seenAt) {
      this.base = "http://127.0.0.1:" + port + "/api/v1/changes?limit=1000&wait=5&after=";
      this.expected = expected;
      this.seenAt = seenAt;
    }

    @Override
    public void run() {
      long after = 0;
      try {
        while (seen < expected) {
          HttpResponse<byte[]> r =
              http.send(
                  HttpRequest.newBuilder(URI.create(base + after))
                      .header("Authorization", "Bearer " + TOKEN)
                      .build(),
                  HttpResponse.BodyHandlers.ofByteArray());
          if (r.statusCode() != 200) {
            throw new IllegalStateException("the feed answered " + r.statusCode());
          }
          long now = System.nanoTime();
          JsonNode page = JSON.readTree(r.body());
          for (JsonNode c : page.get("changes")) {
            if (seenAt != null) {
              seenAt.putIfAbsent(c.get("id").asText(), now);
            }
            seen++;
          }
          if (page.get("changes").size() > 0) {
            lastSeenNanos = now;
          }
          after = page.get("next").asLong();
        }
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }
  }
}
