package dev.ordersync.bench;

import dev.ordersync.shopify.OrderQueries;
import dev.ordersync.simulator.Simulator;
import dev.ordersync.simulator.cost.Plan;
import dev.ordersync.simulator.store.SimOrder;
import dev.ordersync.simulator.time.VirtualClock;
import dev.ordersync.simulator.traffic.TrafficGenerator;
import dev.ordersync.simulator.traffic.TrafficShape;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Requests per second the simulator serves for a 250-order page (ids and times, 252 points), from 4
 * concurrent clients on loopback, and for order-sync's own full-order page.
 */
public final class SimulatorBenchmark {
  public static void main(String[] args) throws Exception {
    int requests = args.length > 0 ? Integer.parseInt(args[0]) : 5_000;
    Report.machine();
    VirtualClock clock = new VirtualClock(Fixtures.dayStart().plus(Duration.ofDays(1)));
    try (Simulator sim = Simulator.builder().clock(clock).plan(Plan.ENTERPRISE).start()) {
      sim.traffic()
          .plan(
              new TrafficGenerator(1, ZoneId.of("America/New_York"))
                  .between(
                      Fixtures.dayStart(),
                      Fixtures.dayStart().plus(Duration.ofDays(1)),
                      20_000,
                      TrafficShape.even()));
      sim.catchUp();
      String window =
          "created_at:>='"
              + Fixtures.dayStart().plus(Duration.ofHours(12))
              + "' AND created_at:<'"
              + Fixtures.dayStart().plus(Duration.ofHours(20))
              + "'";
      String ids =
          "{\"query\":\"{ orders(first: 250, sortKey: CREATED_AT, query: \\\""
              + window.replace("'", "\\u0027")
              + "\\\") { nodes { id createdAt } pageInfo { "
              + "hasNextPage endCursor } } }\"}";
      measure(sim, clock, "250-order page (id, createdAt)", ids, requests);
      List<String> fourteen = sim.shop().allOrders().stream().limit(14).map(SimOrder::gid).toList();
      String full =
          new com.fasterxml.jackson.databind.ObjectMapper()
              .writeValueAsString(
                  java.util.Map.of(
                      "query",
                      OrderQueries.ORDERS_BY_ID,
                      "variables",
                      java.util.Map.of("ids", fourteen)));
      measure(
          sim,
          clock,
          "order-sync's full-order fetch by id (14 orders, ~900 points)",
          full,
          requests);
    }
  }

  private static void measure(
      Simulator sim, VirtualClock clock, String label, String body, int requests) throws Exception {
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    URI uri = URI.create(sim.endpoint());
    AtomicInteger next = new AtomicInteger();
    AtomicInteger bad = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(4);
    long t0 = System.nanoTime();
    List<Future<?>> done = new ArrayList<>();
    for (int c = 0; c < 4; c++) {
      done.add(
          pool.submit(
              () -> {
                while (next.getAndIncrement() < requests) {
                  clock.advance(
                      Duration.ofSeconds(1)); // keep the cost bucket full: measure the server
                  HttpResponse<String> r =
                      http.send(
                          HttpRequest.newBuilder(uri)
                              .header("Content-Type", "application/json")
                              .header("X-Shopify-Access-Token", Simulator.DEFAULT_TOKEN)
                              .POST(HttpRequest.BodyPublishers.ofString(body))
                              .build(),
                          HttpResponse.BodyHandlers.ofString());
                  if (r.statusCode() != 200 || !r.body().contains("\"data\"")) {
                    bad.incrementAndGet();
                  }
                }
                return null;
              }));
    }
    for (Future<?> f : done) {
      f.get();
    }
    pool.shutdown();
    double s = (System.nanoTime() - t0) / 1e9;
    Report.figure("simulator, " + label + ", 4 clients", requests / s, "requests/s");
    if (bad.get() > 0) {
      Report.figure("  failed answers", bad.get(), "");
    }
  }
}
