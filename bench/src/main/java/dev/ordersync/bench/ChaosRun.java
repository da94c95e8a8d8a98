package dev.ordersync.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ordersync.demo.NaiveImporter;
import dev.ordersync.demo.Outages;
import dev.ordersync.simulator.Simulator;
import dev.ordersync.time.ScaledClock;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The chaos run: {@code order-sync simulator} and {@code order-sync run} as separate processes on a
 * real PostgreSQL, sharing simulated time that runs {@code scale} times faster than the wall clock.
 * Days of traffic play with 5xx, two outages a day, Standard-plan throttling, index lag, backdated
 * orders, dropped, duplicated and reordered webhooks; meanwhile the service is killed with SIGKILL
 * and restarted, and the database restarted once, while an OMS follows the feed over HTTP. At the
 * end `orders export` and what the OMS received are compared with the simulator's own list.
 * Everything needed to replay and explain a failure (seed, logs, the ids) stays in the work
 * directory. With {@code --instances N}, N {@code run} processes share the database (each kill
 * picks one); with {@code --shops M}, the simulator serves M shops (a fleet), each with its own
 * traffic and faults, and orders are compared shop by shop. The result counts overlapping passes of
 * one shop (from the pass log) and webhook deliveries processed twice.
 */
public final class ChaosRun {
  private static final ZoneId ZONE = ZoneId.of("America/New_York");
  private static final String SECRET = "chaos-secret";
  private static final String API_TOKEN = "chaos-feed-token";
  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient http = HttpClient.newHttpClient();

  private final int days;
  private final int ordersPerDay;
  private final long seed;
  private final int kills;
  private final int instances;
  private final int shops;
  private final double scale;
  private final Path work;
  private final Random random;
  private final String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
  private final String jar;
  private final List<Process> processes = new ArrayList<>();
  private int started;

  /**
   * The planned outages: Shopify's of every shop, and the times no order-sync could store (every
   * instance killed, until the restarted one answers; the database stopped). Recovery counts the
   * time outside them.
   */
  private final Outages outages = new Outages();

  private ChaosRun(Map<String, String> opts) throws IOException {
    this.days = Integer.parseInt(opts.getOrDefault("--days", "1"));
    this.ordersPerDay = Integer.parseInt(opts.getOrDefault("--orders-per-day", "3000"));
    this.seed = Long.parseLong(opts.getOrDefault("--seed", "1"));
    this.kills = Integer.parseInt(opts.getOrDefault("--kills", "3"));
    // several `run` processes on the one database; the kills pick one of them at random
    this.instances = Integer.parseInt(opts.getOrDefault("--instances", "1"));
    // shops of one simulator fleet, each with --orders-per-day of its own
    this.shops = Integer.parseInt(opts.getOrDefault("--shops", "1"));
    // default: a simulated day in about four real minutes
    this.scale = Double.parseDouble(opts.getOrDefault("--scale", "360"));
    this.jar = opts.getOrDefault("--jar", "dist/target/order-sync.jar");
    this.work = Path.of(opts.getOrDefault("--work", "bench/target/chaos-seed" + seed));
    this.random = new Random(seed);
    if (Files.exists(work)) {
      try (var files = Files.walk(work)) {
        files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
      }
    }
    Files.createDirectories(work);
  }

  public static void main(String[] args) throws Exception {
    Map<String, String> opts = new HashMap<>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      opts.put(args[i], args[i + 1]);
    }
    ChaosRun run = new ChaosRun(opts);
    int exit;
    try {
      exit = run.play();
    } finally {
      run.processes.forEach(Process::destroyForcibly);
    }
    System.exit(exit);
  }

  private int play() throws Exception {
    LocalDate firstDay = LocalDate.of(2026, 11, 20);
    Instant origin = firstDay.atStartOfDay(ZONE).toInstant().minus(Duration.ofMinutes(30));
    Instant end = firstDay.plusDays(days).atStartOfDay(ZONE).toInstant();
    Instant anchor = Clock.systemUTC().instant().plusSeconds(8); // the real instant time starts
    ScaledClock clock = new ScaledClock(Clock.systemUTC(), origin, anchor, scale);
    String[] time = {
      "--time-scale",
      String.valueOf(scale),
      "--time-origin",
      origin.toString(),
      "--time-anchor",
      anchor.toString()
    };
    log(
        "seed %d, %d day(s) of %d orders, %d shop(s), %d instance(s), time x%.0f, work dir %s",
        seed, days, ordersPerDay, shops, instances, scale, work);

    Path pgDir = work.resolve("pg");
    int pgPort = freePort();
    EmbeddedPostgres pg = postgres(pgDir, pgPort);
    String db = pg.getJdbcUrl("postgres", "postgres");

    int simPort = freePort();
    start(
        "simulator",
        concat(
            new String[] {
              "simulator",
              "--port",
              String.valueOf(simPort),
              "--seed",
              String.valueOf(seed),
              "--plan",
              "STANDARD",
              "--webhook-secret",
              SECRET,
              "--shops",
              String.valueOf(shops)
            },
            time));
    String sim = "http://127.0.0.1:" + simPort;
    List<Shop> fleet = shops(sim);
    for (int d = 0; d < days; d++) {
      Instant dayStart = firstDay.plusDays(d).atStartOfDay(ZONE).toInstant();
      all(
          fleet,
          "/traffic",
          Map.of(
              "orders",
              ordersPerDay,
              "hours",
              24,
              "from",
              dayStart.toString(),
              "backdatedShare",
              0.01));
      for (int hour : new int[] {3, 15}) {
        Instant from = dayStart.plus(Duration.ofHours(hour));
        outages.add(from, from.plus(Duration.ofMinutes(30)));
        all(
            fleet,
            "/faults",
            Map.of(
                "outage",
                Map.of(
                    "from", from.toString(), "to", from.plus(Duration.ofMinutes(30)).toString())));
      }
    }
    all(
        fleet,
        "/faults",
        Map.of(
            "rates", Map.of("HTTP_500", 0.02, "HTTP_503", 0.02, "GRAPHQL_INTERNAL_ERROR", 0.01)));
    all(fleet, "/index-lag", Map.of("seconds", 60));
    all(fleet, "/webhooks", Map.of("drop", 0.02, "duplicate", 0.05, "maxDelaySeconds", 120));

    int[] servicePorts = new int[instances];
    for (int i = 0; i < instances; i++) {
      servicePorts[i] = freePort();
    }
    int servicePort = servicePorts[0]; // Shopify's webhooks and the OMS's feed go to the first
    Path config = work.resolve("order-sync.yml");
    StringBuilder shopsYaml = new StringBuilder();
    for (Shop shop : fleet) {
      shopsYaml.append(
          """
            - domain: %s
              token: %s
              apiUrl: %s
              timezone: %s
              webhookSecrets: ["%s"]
          """
              .formatted(shop.domain(), shop.token(), shop.endpoint(), shop.timezone(), SECRET));
    }
    Files.writeString(
        config,
        """
        shops:
        %s\
        sync:
          initialLookback: 2h
        client:
          requestTimeout: 10s
          maxAttempts: 5
        http:
          apiTokens: ["%s"]
        """
            .formatted(shopsYaml, API_TOKEN));
    List<String[]> runArgs = new ArrayList<>();
    Process[] services = new Process[instances];
    for (int i = 0; i < instances; i++) {
      runArgs.add(
          concat(
              new String[] {
                "run",
                "--config",
                config.toString(),
                "--db",
                db,
                "--port",
                String.valueOf(servicePorts[i])
              },
              time));
      services[i] = start("run", runArgs.get(i));
    }
    String base = "http://127.0.0.1:" + servicePort;
    for (int port : servicePorts) {
      waitFor(() -> "ok".equals(get("http://127.0.0.1:" + port + "/healthz")), "order-sync run");
    }
    exec(
        "webhooks-register",
        concat(
            new String[] {
              "webhooks",
              "register",
              "--config",
              config.toString(),
              "--db",
              db,
              "--address",
              base + "/webhooks/shopify"
            },
            time));

    FeedFollower feed = new FeedFollower(base, API_TOKEN); // the OMS, from the first change on
    Thread follower = new Thread(feed, "feed-follower");
    follower.start();
    Map<String, NaiveImporter> naive = new LinkedHashMap<>();
    for (Shop shop : fleet) {
      naive.put(
          shop.domain(),
          new NaiveImporter(
              URI.create(shop.endpoint()),
              Simulator.SECOND_APP_TOKEN,
              origin)); // an app of its own: its own rate limit
    }
    List<Instant> killAt = new ArrayList<>();
    for (int k = 0; k < kills; k++) {
      killAt.add(
          origin.plusSeconds(
              (long) (random.nextDouble() * Duration.between(origin, end).getSeconds())));
    }
    killAt.sort(null);
    Instant dbRestartAt = origin.plus(Duration.between(origin, end).dividedBy(2));
    int killed = 0;
    int dbRestarts = 0;
    Instant nextNaive = origin;
    Instant lastReport = origin;
    while (clock.instant().isBefore(end)) {
      Thread.sleep(100);
      Instant now = clock.instant();
      if (!now.isBefore(nextNaive)) {
        naive.values().forEach(n -> n.run(now));
        nextNaive = now.plus(Duration.ofMinutes(15));
      }
      if (killed < killAt.size() && !now.isBefore(killAt.get(killed))) {
        int victim = instances == 1 ? 0 : random.nextInt(instances);
        services[victim].destroyForcibly(); // SIGKILL
        services[victim].waitFor();
        killed++;
        log(
            "killed order-sync run %d of %d (SIGKILL) at %s; restarting",
            victim + 1, instances, now);
        Thread.sleep(500 + random.nextInt(2000));
        services[victim] = start("run", runArgs.get(victim));
        if (instances == 1) {
          // nothing stored orders meanwhile: an outage of order-sync's, ending when it answers
          awaitUp(servicePorts[victim]);
          outages.add(now, clock.instant());
        }
      }
      if (dbRestarts == 0 && !now.isBefore(dbRestartAt)) {
        pg.close();
        log("stopped PostgreSQL at %s", now);
        Thread.sleep(3000);
        pg = postgres(pgDir, pgPort);
        outages.add(now, clock.instant());
        dbRestarts++;
        log("started PostgreSQL again at %s", clock.instant());
      }
      if (Duration.between(lastReport, now).toHours() >= 3) {
        lastReport = now;
        log("simulated %s, first shop: %s", now, get(fleet.get(0).control() + "/stats"));
      }
    }
    log("traffic over; faults off; letting order-sync catch up");
    all(fleet, "/faults", Map.of("clear", true));
    all(fleet, "/webhooks", Map.of("drop", 0, "duplicate", 0, "maxDelaySeconds", 0));
    Instant settle = clock.instant().plus(Duration.ofMinutes(40));
    while (clock.instant().isBefore(settle)) {
      Thread.sleep(200);
    }
    Instant last = clock.instant();
    naive.values().forEach(n -> n.run(last));
    feed.stop();
    follower.join();
    feed.drain();
    for (Process service : services) {
      service.destroy(); // SIGTERM: a clean stop
    }
    for (Process service : services) {
      service.waitFor(60, TimeUnit.SECONDS);
    }

    int equalDays = 0;
    for (int d = 0; d < days; d++) {
      String out =
          exec(
              "reconcile-" + d,
              concat(
                  new String[] {
                    "reconcile",
                    "--config",
                    config.toString(),
                    "--db",
                    db,
                    "--date",
                    firstDay.plusDays(d).toString(),
                    "--json"
                  },
                  time));
      for (String line : out.lines().filter(l -> l.startsWith("{")).toList()) {
        JsonNode r = JSON.readTree(line);
        if (r.path("shopifyCount").asInt(-1) == r.path("omsCountAfter").asInt(-2)) {
          equalDays++;
        }
      }
    }
    String export =
        exec("export", new String[] {"orders", "export", "--format", "jsonl", "--db", db});
    // shops number their orders alike: each order is known by its shop and id
    Map<String, Instant> shopify = new LinkedHashMap<>();
    for (Shop shop : fleet) {
      for (JsonNode o : JSON.readTree(get(shop.control() + "/orders"))) {
        shopify.put(
            shop.domain() + " " + o.path("id").asText(),
            Instant.parse(o.path("writtenAt").asText()));
      }
    }
    Set<String> stored = new HashSet<>();
    int duplicates = 0;
    double maxRecovery = 0;
    List<Double> recovery = new ArrayList<>();
    List<String> slowest = new ArrayList<>();
    for (String line : export.lines().filter(l -> l.startsWith("{")).toList()) {
      JsonNode row = JSON.readTree(line);
      String id = row.path("shop").asText() + " " + row.path("id").asText();
      if (!stored.add(id)) {
        duplicates++;
      }
      String path = row.path("firstPath").asText();
      if (shopify.containsKey(id)) {
        // from its creation, less the planned outages until it was stored
        Instant written = shopify.get(id);
        double minutes =
            outages.outside(written, Instant.parse(row.path("firstStoredAt").asText())).toSeconds()
                / 60.0;
        recovery.add(minutes);
        slowest.add(
            String.format(
                "%8.1f %s written %s first stored %s by %s",
                minutes, id, written, row.path("firstStoredAt").asText(), path));
      }
      if ((path.equals("SWEEP") || path.equals("RECONCILE")) && shopify.containsKey(id)) {
        maxRecovery =
            Math.max(
                maxRecovery,
                Duration.between(shopify.get(id), Instant.parse(row.path("firstStoredAt").asText()))
                        .toSeconds()
                    / 60.0);
      }
    }
    List<String> lost = shopify.keySet().stream().filter(id -> !stored.contains(id)).toList();
    Set<String> followed = feed.ids();
    List<String> feedMissing =
        shopify.keySet().stream().filter(id -> !followed.contains(id)).toList();
    Files.write(work.resolve("feed-missing-ids.txt"), feedMissing);
    Files.write(work.resolve("lost-ids.txt"), lost);
    slowest.sort(java.util.Comparator.reverseOrder());
    Files.write(
        work.resolve("slowest-recoveries.txt"), slowest.subList(0, Math.min(100, slowest.size())));
    Set<String> naiveImported = new HashSet<>();
    naive.forEach((shop, n) -> n.imported().forEach(id -> naiveImported.add(shop + " " + id)));
    long naiveStored = shopify.keySet().stream().filter(naiveImported::contains).count();
    int overlapping = overlappingPasses(db);
    long processedTwice = deliveriesProcessedTwice(db);
    pg.close();
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("seed", seed);
    result.put("days", days);
    result.put("shops", shops);
    result.put("shopifyOrders", shopify.size());
    result.put("stored", stored.size());
    result.put("lost", lost.size());
    result.put("duplicates", duplicates);
    result.put("feedChanges", feed.changes());
    result.put("feedMissing", feedMissing.size());
    result.put("feedOutOfOrder", feed.outOfOrder());
    result.put("kills", killed);
    result.put("instances", instances);
    result.put("instanceKills", killed);
    result.put("overlappingPasses", overlapping);
    result.put("webhookDeliveriesProcessedTwice", processedTwice);
    result.put("dbRestarts", dbRestarts);
    result.put("maxRecoveryMinutes", Math.round(maxRecovery * 10) / 10.0);
    java.util.Collections.sort(recovery);
    result.put(
        "recoveryP99Minutes",
        recovery.isEmpty()
            ? 0
            : Math.round(
                    recovery.get(
                            Math.min(
                                recovery.size() - 1, (int) Math.ceil(0.99 * recovery.size()) - 1))
                        * 10)
                / 10.0);
    result.put("daysWithEqualCounts", equalDays);
    result.put("naiveStored", naiveStored);
    result.put("naiveLost", shopify.size() - naiveStored);
    result.put("workDir", work.toString());
    System.out.println(JSON.writeValueAsString(result));
    return lost.isEmpty()
            && duplicates == 0
            && feedMissing.isEmpty()
            && feed.outOfOrder() == 0
            && overlapping == 0
            && processedTwice == 0
        ? 0
        : 1;
  }

  /**
   * Passes of one shop that started before the previous one ended, from the pass log (a pass killed
   * before its end has no row, so only passes that ended are compared).
   */
  private static int overlappingPasses(String db) throws java.sql.SQLException {
    int overlapping = 0;
    try (var c = java.sql.DriverManager.getConnection(db);
        var st = c.createStatement();
        var rs =
            st.executeQuery(
                "SELECT shop, started_at, finished_at FROM sync_passes "
                    + "ORDER BY shop, started_at, id")) {
      String shop = null;
      java.time.OffsetDateTime lastEnd = null;
      while (rs.next()) {
        var started = rs.getObject("started_at", java.time.OffsetDateTime.class);
        var finished = rs.getObject("finished_at", java.time.OffsetDateTime.class);
        if (rs.getString("shop").equals(shop) && started.isBefore(lastEnd)) {
          overlapping++;
        }
        if (!rs.getString("shop").equals(shop) || finished.isAfter(lastEnd)) {
          lastEnd = finished;
        }
        shop = rs.getString("shop");
      }
    }
    return overlapping;
  }

  /**
   * Deliveries whose processing committed more than once: {@code attempts} counts the committed
   * processings, one for an order's delivery, two for a deletion (to CONFIRMING, then settled).
   */
  private static long deliveriesProcessedTwice(String db) throws java.sql.SQLException {
    try (var c = java.sql.DriverManager.getConnection(db);
        var st = c.createStatement();
        var rs =
            st.executeQuery(
                "SELECT COUNT(*) FROM webhook_deliveries WHERE attempts > "
                    + "CASE WHEN topic = 'orders/delete' THEN 2 ELSE 1 END")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /** One shop of the simulator: where its API and control API are, and how to reach it. */
  private record Shop(
      String domain, String token, String endpoint, String timezone, String control) {}

  /** The simulator's shops: its one shop, or the fleet's list once it is up. */
  private List<Shop> shops(String sim) throws Exception {
    if (shops == 1) {
      waitFor(() -> get(sim + "/control/stats") != null, "the simulator");
      return List.of(
          new Shop(
              "sim-shop.myshopify.com",
              Simulator.DEFAULT_TOKEN,
              sim + "/admin/api/" + Simulator.DEFAULT_VERSION + "/graphql.json",
              ZONE.getId(),
              sim + "/control"));
    }
    // the fleet answers while its shops are still joining
    String[] listed = new String[1];
    waitFor(
        () -> {
          listed[0] = get(sim + "/control/shops");
          return listed[0] != null && JSON.readTree(listed[0]).size() == shops;
        },
        "the simulator's " + shops + " shops");
    List<Shop> list = new ArrayList<>();
    for (JsonNode s : JSON.readTree(listed[0])) {
      list.add(
          new Shop(
              s.path("domain").asText(),
              s.path("token").asText(),
              s.path("endpoint").asText(),
              s.path("timezone").asText(),
              s.path("control").asText()));
    }
    return list;
  }

  /** The same control request to every shop. */
  private void all(List<Shop> fleet, String path, Object body) throws Exception {
    for (Shop shop : fleet) {
      post(shop.control() + path, body);
    }
  }

  private static EmbeddedPostgres postgres(Path dir, int port) throws IOException {
    return EmbeddedPostgres.builder()
        .setDataDirectory(dir)
        .setCleanDataDirectory(false)
        .setPort(port)
        .start();
  }

  private Process start(String name, String[] args) throws IOException {
    // the simulator holds every order of every day; order-sync must do with less
    String heap = name.equals("simulator") ? "-Xmx2g" : "-Xmx512m";
    List<String> cmd = new ArrayList<>(List.of(javaBin, heap, "-jar", jar));
    cmd.addAll(List.of(args));
    int n = started++;
    Process p =
        new ProcessBuilder(cmd)
            .redirectOutput(work.resolve(n + "-" + name + ".out").toFile())
            .redirectError(work.resolve(n + "-" + name + ".log").toFile())
            .start();
    processes.add(p);
    return p;
  }

  private String exec(String name, String[] args) throws Exception {
    int n = started;
    Process p = start(name, args);
    if (!p.waitFor(10, TimeUnit.MINUTES)) {
      throw new IllegalStateException(name + " did not finish; see " + work);
    }
    return Files.readString(work.resolve(n + "-" + name + ".out"));
  }

  /** Waits (at most two minutes) until a restarted instance answers on its port. */
  private void awaitUp(int port) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
    while (get("http://127.0.0.1:" + port + "/healthz") == null && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
  }

  private String get(String url) {
    try {
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofMinutes(5)).build(),
              HttpResponse.BodyHandlers.ofString());
      return r.statusCode() == 200 ? r.body() : null;
    } catch (IOException | InterruptedException e) {
      return null;
    }
  }

  private void post(String url, Object body) throws Exception {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create(url))
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new IllegalStateException(url + ": " + r.body());
    }
  }

  private interface Check {
    boolean ok() throws Exception;
  }

  private void waitFor(Check check, String what) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    while (!check.ok()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(what + " did not come up; see " + work);
      }
      Thread.sleep(200);
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private static String[] concat(String[] a, String[] b) {
    String[] out = new String[a.length + b.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  private static void log(String format, Object... args) {
    System.err.printf("[chaos] " + format + "%n", args);
  }
}
