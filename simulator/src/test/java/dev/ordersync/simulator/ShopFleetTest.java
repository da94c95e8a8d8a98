package dev.ordersync.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ordersync.simulator.store.OrderDraft;
import dev.ordersync.simulator.time.VirtualClock;
import dev.ordersync.simulator.traffic.TrafficGenerator;
import dev.ordersync.simulator.traffic.TrafficShape;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Issue 16: many shops on one port, each with its own domain, token, bucket, zone and orders. */
class ShopFleetTest {
  private static final String COUNT = "{\"query\":\"{ ordersCount(limit: null) { count } }\"}";

  @Test
  void each_shop_of_the_fleet_answers_for_itself_only() throws Exception {
    VirtualClock clock = new VirtualClock(Instant.parse("2026-11-20T17:00:00Z"));
    try (ShopFleet fleet = ShopFleet.start(0)) {
      List<Simulator> shops = new ArrayList<>();
      for (int i = 0; i < 120; i++) {
        shops.add(
            Simulator.builder()
                .in(fleet)
                .clock(clock)
                .seed(i)
                .domain("shop-" + i + ".myshopify.com")
                .token("shpat_" + i)
                .zone(ZoneId.of(i % 2 == 0 ? "America/New_York" : "Europe/Berlin"))
                .start());
      }
      TrafficGenerator traffic = new TrafficGenerator(3, ZoneId.of("UTC"));
      for (int k = 0; k < 3; k++) {
        OrderDraft d = traffic.draft(TrafficShape.even());
        shops.get(7).shop().create(d);
      }

      assertThat(fleet.port()).isEqualTo(shops.get(0).port()).isEqualTo(shops.get(119).port());
      assertThat(shops.get(7).endpoint())
          .endsWith("/shops/shop-7.myshopify.com/admin/api/2026-10/graphql.json");
      assertThat(count(shops.get(7), "shpat_7")).isEqualTo(3);
      assertThat(count(shops.get(8), "shpat_8")).isZero();
      assertThat(Gql.post(shops.get(8), "shpat_7", COUNT).status())
          .as("another shop's token")
          .isEqualTo(401);
      assertThat(shops.get(7).shop().zone()).isNotEqualTo(shops.get(8).shop().zone());

      shops.get(7).bucket().drain();
      assertThat(shops.get(7).bucket().status().currentlyAvailable()).isZero();
      assertThat(shops.get(8).bucket().status().currentlyAvailable())
          .as("each shop's app has its own bucket")
          .isGreaterThan(shops.get(8).bucket().status().maximumAvailable() - 10);
    }
  }

  @Test
  void each_shop_of_the_fleet_has_its_own_control_api_and_the_fleet_lists_them() throws Exception {
    VirtualClock clock = new VirtualClock(Instant.parse("2026-11-20T17:00:00Z"));
    try (ShopFleet fleet = ShopFleet.start(0)) {
      Simulator a =
          Simulator.builder().in(fleet).clock(clock).domain("a.myshopify.com").token("a").start();
      Simulator b =
          Simulator.builder().in(fleet).clock(clock).domain("b.myshopify.com").token("b").start();

      assertThat(Gql.control(a, "/control/orders", "{\"count\":3}").status()).isEqualTo(200);
      assertThat(Gql.get(a, "/control/orders").body()).hasSize(3);
      assertThat(Gql.get(b, "/control/orders").body()).isEmpty();
      assertThat(Gql.get(b, "/control/stats").body().path("orders").asInt()).isZero();
      assertThat(Gql.control(b, "/control/faults", "{\"fault\":\"HTTP_999\"}").status())
          .isEqualTo(400);

      HttpClient http = HttpClient.newHttpClient();
      String base = "http://127.0.0.1:" + fleet.port();
      HttpResponse<String> list =
          http.send(
              HttpRequest.newBuilder(URI.create(base + "/control/shops")).build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(list.statusCode()).isEqualTo(200);
      assertThat(list.body())
          .contains("\"domain\":\"a.myshopify.com\"", "\"token\":\"b\"", a.endpoint());
      HttpResponse<String> unknown =
          http.send(
              HttpRequest.newBuilder(URI.create(base + "/shops/c.myshopify.com/control/stats"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(unknown.statusCode()).isEqualTo(404);
    }
  }

  private static int count(Simulator sim, String token) throws Exception {
    Gql.Reply r = Gql.post(sim, token, COUNT);
    assertThat(r.status()).as(r.raw()).isEqualTo(200);
    return r.body().path("data").path("ordersCount").path("count").asInt();
  }
}
