package dev.ordersync.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ordersync.App;
import dev.ordersync.AppOptions;
import dev.ordersync.secrets.Hmac;
import dev.ordersync.secrets.Secret;
import dev.ordersync.service.HttpApi;
import dev.ordersync.simulator.Simulator;
import dev.ordersync.simulator.store.SimOrder;
import dev.ordersync.simulator.time.VirtualClock;
import dev.ordersync.simulator.traffic.TrafficGenerator;
import dev.ordersync.simulator.traffic.TrafficShape;
import dev.ordersync.simulator.webhooks.RestPayload;
import dev.ordersync.sync.CrashPoints;
import dev.ordersync.webhook.WebhookWorker;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * The intake fuzzed as an attacker would, on loopback: N requests over raw sockets (bad and missing
 * signatures, random shop headers, huge and malformed headers, deep nesting, bodies over 2 MB, bad
 * bytes, bodies re-labelled under another topic, stale replays), with genuine signed deliveries
 * among them. Prints the answers by status, the heap's peak, the rows unsigned requests wrote (goal
 * 0) and the genuine deliveries lost (goal 0). Seeded.
 */
public final class IntakeFuzz {
  private static final String SECRET = "fuzz-secret";

  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 3_000;
    long seed = args.length > 1 ? Long.parseLong(args[1]) : 1;
    Report.machine();
    Random random = new Random(seed);
    VirtualClock simClock = new VirtualClock(Fixtures.dayStart());
    try (BenchDatabases dbs = new BenchDatabases();
        Simulator sim = Simulator.builder().clock(simClock).start();
        App app =
            App.open(
                Fixtures.config(sim, List.of(new Secret(SECRET))),
                dbs.h2("fuzz"),
                new AppOptions(Clock.systemUTC(), simClock::advance, CrashPoints.NONE, seed))) {
      WebhookWorker worker = app.webhooks().worker();
      HttpApi api = app.service().httpApi(worker::wake).start("127.0.0.1", 0);
      worker.start();
      ObjectMapper json = new ObjectMapper();
      TrafficGenerator gen = new TrafficGenerator(seed, ZoneId.of("America/New_York"));
      Map<Integer, Integer> byStatus = new TreeMap<>();
      List<String> genuine = new ArrayList<>();
      int genuineAcknowledged = 0;
      long t0 = System.nanoTime();
      for (int i = 0; i < n; i++) {
        SimOrder o = sim.shop().create(gen.draft(TrafficShape.even()));
        String order = json.writeValueAsString(RestPayload.order(o, sim.shop().zone()));
        int kind = random.nextInt(12);
        String body = order;
        String topic = "orders/create";
        String shop = sim.shop().domain();
        String id = "fuzz-" + i;
        String triggered = app.service().clock().instant().toString();
        String hmac = null;
        StringBuilder extraHeaders = new StringBuilder();
        switch (kind) {
          case 0 -> { // genuine
            hmac = sign(body);
            genuine.add(o.gid());
          }
          case 1 -> shop = randomText(random, 1 + random.nextInt(400));
          case 2 -> hmac = "AAAA" + sign(body).substring(4);
          case 3 -> {
            body = "[".repeat(5_000) + "]".repeat(5_000);
            hmac = sign(body);
          }
          case 4 -> {
            body = "{\"pad\":\"" + "x".repeat(2 * 1024 * 1024 + 10) + "\"}";
            hmac = sign(body);
          }
          case 5 -> {
            body = order + "garbage";
            hmac = sign(body);
          }
          case 6 -> {
            topic = "orders/delete"; // a captured order re-labelled
            hmac = sign(body);
          }
          case 7 -> {
            triggered = app.service().clock().instant().minusSeconds(30L * 24 * 3600).toString();
            hmac = sign(body);
          }
          case 8 -> extraHeaders.append("X-Fuzz: ").append("y".repeat(20_000)).append("\r\n");
          case 9 -> {
            id = "w".repeat(300);
            hmac = sign(body);
          }
          case 10 -> {
            body = order.replace("\"total_price\":\"", "\"total_price\":\"1e999999");
            hmac = sign(body);
          }
          default ->
              body =
                  new String(
                      randomBytes(random, 1 + random.nextInt(5_000)), StandardCharsets.ISO_8859_1);
        }
        int status =
            send(api.port(), topic, shop, id, triggered, hmac, body, extraHeaders.toString());
        byStatus.merge(status, 1, Integer::sum);
        if (kind == 0 && status == 200) {
          genuineAcknowledged++;
        }
      }
      double seconds = (System.nanoTime() - t0) / 1e9;
      long waited = 0;
      while (app.webhooks().processor().processPending() > 0 || waited++ < 3) {
        Thread.sleep(200);
      }
      int unsignedRows =
          count(
                  app,
                  "SELECT COUNT(*) FROM webhook_deliveries WHERE webhook_id " + "NOT LIKE 'fuzz-%'")
              + count(
                  app,
                  "SELECT COUNT(*) FROM webhook_counters WHERE "
                      + "shop <> '"
                      + sim.shop().domain()
                      + "'");
      int stored = count(app, "SELECT COUNT(*) FROM orders");
      api.close();
      worker.close();
      System.out.printf("# %d requests in %.1f s, seed %d%n", n, seconds, seed);
      byStatus.forEach((s, c) -> Report.figure("answers with HTTP " + s, c, "requests"));
      Report.figure("heap peak (sum of the heap pools' peaks)", heapPeakMb(), "MB");
      Report.figure("rows written by unsigned or refused requests (goal 0)", unsignedRows, "rows");
      Report.figure("genuine deliveries acknowledged", genuineAcknowledged, "deliveries");
      Report.figure(
          "genuine deliveries lost (acknowledged, not stored; goal 0)",
          Math.max(0, genuineAcknowledged - stored),
          "deliveries");
    }
  }

  private static int send(
      int port,
      String topic,
      String shop,
      String id,
      String triggered,
      String hmac,
      String body,
      String extra) {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    StringBuilder head =
        new StringBuilder("POST /webhooks/shopify HTTP/1.1\r\n")
            .append("Host: 127.0.0.1\r\nContent-Type: application/json\r\nConnection: close\r\n")
            .append("X-Shopify-Topic: ")
            .append(topic)
            .append("\r\n")
            .append("X-Shopify-Shop-Domain: ")
            .append(shop.replace("\r", "").replace("\n", ""))
            .append("\r\n")
            .append("X-Shopify-Webhook-Id: ")
            .append(id)
            .append("\r\n")
            .append("X-Shopify-Triggered-At: ")
            .append(triggered)
            .append("\r\n")
            .append(extra);
    if (hmac != null) {
      head.append("X-Shopify-Hmac-Sha256: ").append(hmac).append("\r\n");
    }
    head.append("Content-Length: ").append(bytes.length).append("\r\n\r\n");
    try (Socket s = new Socket("127.0.0.1", port)) {
      s.setSoTimeout(15_000);
      OutputStream out = s.getOutputStream();
      out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
      out.write(bytes);
      out.flush();
      String status = new String(s.getInputStream().readNBytes(12), StandardCharsets.ISO_8859_1);
      return Integer.parseInt(status.substring(9, 12));
    } catch (Exception e) {
      return 0; // the server closed the connection without an answer
    }
  }

  private static String sign(String body) {
    return Hmac.sign(SECRET, body.getBytes(StandardCharsets.UTF_8));
  }

  private static String randomText(Random r, int length) {
    String alphabet = "abcdefghijklmnopqrstuvwxyz0123456789-./\\'\" ;=%<>{}";
    StringBuilder b = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      b.append(alphabet.charAt(r.nextInt(alphabet.length())));
    }
    return b.toString();
  }

  private static byte[] randomBytes(Random r, int length) {
    byte[] b = new byte[length];
    r.nextBytes(b);
    return b;
  }

  private static double heapPeakMb() {
    long peak = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        peak += pool.getPeakUsage().getUsed();
      }
    }
    return peak / (1024.0 * 1024.0);
  }

  private static int count(App app, String sql) {
    return app.service()
        .db()
        .read(
            c -> {
              try (PreparedStatement ps = c.getConnection().prepareStatement(sql);
                  ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
              }
            });
  }
}
