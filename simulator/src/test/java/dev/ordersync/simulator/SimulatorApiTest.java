package dev.ordersync.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ordersync.simulator.cost.Plan;
import dev.ordersync.simulator.faults.Fault;
import dev.ordersync.simulator.store.OrderEvent;
import dev.ordersync.simulator.store.SimOrder;
import dev.ordersync.simulator.time.VirtualClock;
import dev.ordersync.simulator.traffic.TrafficGenerator;
import dev.ordersync.simulator.traffic.TrafficShape;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SimulatorApiTest {
  private static final Instant T = Instant.parse("2026-11-20T10:00:00Z");
  private final VirtualClock clock = new VirtualClock(T.plus(Duration.ofHours(2)));
  private final Simulator sim = Simulator.builder().clock(clock).plan(Plan.PLUS).start();
  private final TrafficGenerator gen = new TrafficGenerator(9, ZoneId.of("America/New_York"));

  @AfterEach
  void close() {
    sim.close();
  }

  private SimOrder create(Instant at) {
    return sim.shop().create(gen.draft(TrafficShape.even()), at, at);
  }

  private static final String IDS =
      "query($q: String, $first: Int, $last: Int, $after: String, "
          + "$before: String, $reverse: Boolean) { orders(query: $q, first: $first, last: $last, "
          + "after: $after, before: $before, reverse: $reverse, sortKey: CREATED_AT) { nodes { id } "
          + "pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } }";

  private List<String> ids(String q) {
    List<String> out = new ArrayList<>();
    String after = null;
    while (true) {
      Gql.Reply r = Gql.query(sim, IDS, "q", q, "first", 7, "after", after);
      JsonNode conn = r.body().path("data").path("orders");
      conn.path("nodes").forEach(n -> out.add(n.path("id").asText()));
      if (!conn.path("pageInfo").path("hasNextPage").asBoolean()) {
        return out;
      }
      after = conn.path("pageInfo").path("endCursor").asText();
    }
  }

  @Test
  void adjacent_half_open_windows_partition_the_orders_and_exclusive_bounds_lose_the_edge() {
    for (int i = 0; i < 40; i++) {
      create(T.plusSeconds(i * 30L)); // one order exactly on every minute, one in between
    }
    Set<String> seen = new HashSet<>();
    int total = 0;
    for (int w = 0; w < 20; w++) {
      Instant a = T.plusSeconds(w * 60L);
      Instant b = a.plusSeconds(60);
      List<String> in = ids("created_at:>='" + a + "' AND created_at:<'" + b + "'");
      total += in.size();
      seen.addAll(in);
    }
    assertThat(total).isEqualTo(40);
    assertThat(seen).hasSize(40);
    int exclusive = 0;
    for (int w = 0; w < 20; w++) {
      Instant a = T.plusSeconds(w * 60L);
      exclusive +=
          ids("created_at:>'" + a + "' AND created_at:<'" + a.plusSeconds(60) + "'").size();
    }
    assertThat(exclusive).isEqualTo(20); // every order on a window edge is lost
  }

  @Test
  void pages_forward_backward_and_reversed_see_each_order_once() {
    List<String> created = new ArrayList<>();
    for (int i = 0; i < 23; i++) {
      created.add(create(T.plusSeconds(i)).gid());
    }
    assertThat(ids(null)).containsExactlyElementsOf(created);
    Gql.Reply lastPage = Gql.query(sim, IDS, "last", 5);
    List<String> tail = new ArrayList<>();
    lastPage
        .body()
        .path("data")
        .path("orders")
        .path("nodes")
        .forEach(n -> tail.add(n.path("id").asText()));
    assertThat(tail).containsExactlyElementsOf(created.subList(18, 23));
    assertThat(lastPage.body().at("/data/orders/pageInfo/hasPreviousPage").asBoolean()).isTrue();
    String before = lastPage.body().at("/data/orders/pageInfo/startCursor").asText();
    Gql.Reply previous = Gql.query(sim, IDS, "last", 5, "before", before);
    assertThat(previous.body().at("/data/orders/nodes/0/id").asText()).isEqualTo(created.get(13));
    Gql.Reply reversed = Gql.query(sim, IDS, "first", 1, "reverse", true);
    assertThat(reversed.body().at("/data/orders/nodes/0/id").asText()).isEqualTo(created.get(22));
  }

  @Test
  void page_size_limits_and_missing_sizes_are_errors_not_crashes() {
    Gql.Reply big = Gql.query(sim, IDS, "first", 251);
    assertThat(big.status()).isEqualTo(200);
    assertThat(big.body().path("errors").get(0).path("message").asText()).contains("250");
    Gql.Reply none = Gql.query(sim, IDS);
    assertThat(none.body().path("errors").get(0).path("message").asText())
        .contains("first or last");
    Gql.Reply cursor = Gql.query(sim, IDS, "first", 5, "after", "garbage");
    assertThat(cursor.body().path("errors").get(0).path("message").asText())
        .contains("Invalid cursor");
  }

  @Test
  void counts_are_exact_up_to_the_limit_and_uncapped_with_limit_null() {
    for (int i = 0; i < 12; i++) {
      create(T.plusSeconds(i));
    }
    Gql.Reply capped = Gql.query(sim, "{ ordersCount(limit: 10) { count precision } }");
    assertThat(capped.body().at("/data/ordersCount/count").asInt()).isEqualTo(10);
    assertThat(capped.body().at("/data/ordersCount/precision").asText()).isEqualTo("AT_LEAST");
    Gql.Reply exact = Gql.query(sim, "{ ordersCount(limit: null) { count precision } }");
    assertThat(exact.body().at("/data/ordersCount/count").asInt()).isEqualTo(12);
    assertThat(exact.body().at("/data/ordersCount/precision").asText()).isEqualTo("EXACT");
  }

  @Test
  void search_lags_behind_while_lookups_by_id_see_new_orders_at_once() {
    sim.shop().setIndexLag(Duration.ofSeconds(30));
    SimOrder o = sim.shop().create(gen.draft(TrafficShape.even()));
    String count = "{ ordersCount(limit: null) { count } }";
    assertThat(Gql.query(sim, count).body().at("/data/ordersCount/count").asInt()).isZero();
    Gql.Reply byId =
        Gql.query(
            sim,
            "query($ids: [ID!]!) { nodes(ids: $ids) { ... on Order { "
                + "id name } } order(id: \""
                + o.gid()
                + "\") { id } }",
            "ids",
            List.of(o.gid()));
    assertThat(byId.body().at("/data/nodes/0/id").asText()).isEqualTo(o.gid());
    assertThat(byId.body().at("/data/order/id").asText()).isEqualTo(o.gid());
    clock.advance(Duration.ofSeconds(30));
    assertThat(Gql.query(sim, count).body().at("/data/ordersCount/count").asInt()).isEqualTo(1);
  }

  @Test
  void an_update_not_yet_indexed_is_searched_by_its_previous_version() {
    SimOrder o = create(T);
    sim.shop().setIndexLag(Duration.ofMinutes(5));
    Instant later = clock.instant();
    sim.shop()
        .update(
            o.id(),
            v -> v.withUpdate(later, "PAID", "FULFILLED", null, v.tags()),
            OrderEvent.Topic.ORDERS_UPDATED);
    String q = "updated_at:>='" + later + "'";
    assertThat(ids(q)).isEmpty();
    assertThat(ids("updated_at:'" + T + "'")).containsExactly(o.gid());
    clock.advance(Duration.ofMinutes(5));
    assertThat(ids(q)).containsExactly(o.gid());
  }

  /** Shopify's rate limit is per app and store: one app's empty bucket throttles only it. */
  @Test
  void each_app_has_its_own_bucket() throws Exception {
    create(T);
    sim.bucket().drain();
    String body = "{\"query\":\"{ orders(first: 5) { nodes { id } } }\"}";
    assertThat(
            Gql.post(sim, Simulator.DEFAULT_TOKEN, body)
                .body()
                .at("/errors/0/extensions/code")
                .asText())
        .isEqualTo("THROTTLED");
    Gql.Reply other = Gql.post(sim, Simulator.SECOND_APP_TOKEN, body);
    assertThat(other.body().at("/data/orders/nodes/0/id").asText()).isNotEmpty();
    assertThat(Gql.post(sim, "shpat_unknown", body).status()).isEqualTo(401);
  }

  @Test
  void every_answer_carries_its_cost_and_an_empty_bucket_throttles() {
    sim.bucket().setPlan(Plan.STANDARD);
    create(T);
    Gql.Reply r = Gql.query(sim, IDS, "first", 50);
    JsonNode cost = r.body().path("extensions").path("cost");
    assertThat(cost.path("requestedQueryCost").asInt()).isEqualTo(52);
    assertThat(cost.path("actualQueryCost").asInt()).isEqualTo(3);
    assertThat(cost.at("/throttleStatus/maximumAvailable").asInt()).isEqualTo(2000);
    assertThat(cost.at("/throttleStatus/restoreRate").asInt()).isEqualTo(100);
    sim.bucket().drain();
    Gql.Reply throttled = Gql.query(sim, IDS, "first", 50);
    assertThat(throttled.status()).isEqualTo(200);
    assertThat(throttled.body().at("/errors/0/extensions/code").asText()).isEqualTo("THROTTLED");
    assertThat(throttled.body().at("/extensions/cost/actualQueryCost").isNull()).isTrue();
    clock.advance(Duration.ofSeconds(1));
    assertThat(Gql.query(sim, IDS, "first", 50).body().has("data")).isTrue();
    Gql.Reply tooExpensive =
        Gql.query(
            sim,
            "{ orders(first: 250) { nodes { id lineItems(first: " + "250) { nodes { id } } } } }");
    assertThat(tooExpensive.body().at("/errors/0/extensions/code").asText())
        .isEqualTo("MAX_COST_EXCEEDED");
  }

  @Test
  void bad_tokens_bodies_and_queries_get_shopify_shaped_errors() {
    assertThat(Gql.post(sim, "shpat_wrong", "{\"query\":\"{ shop { name } }\"}").status())
        .isEqualTo(401);
    assertThat(Gql.post(sim, null, "{\"query\":\"{ shop { name } }\"}").status()).isEqualTo(401);
    assertThat(Gql.post(sim, Simulator.DEFAULT_TOKEN, "not json").status()).isEqualTo(400);
    assertThat(Gql.post(sim, Simulator.DEFAULT_TOKEN, "{\"query\": 5}").status()).isEqualTo(400);
    assertThat(
            Gql.post(
                    sim,
                    Simulator.DEFAULT_TOKEN,
                    "{\"query\":\"{ shop { name }\", \"variables\": []}")
                .status())
        .isEqualTo(400);
    Gql.Reply syntax = Gql.query(sim, "{ shop { name ");
    assertThat(syntax.status()).isEqualTo(200);
    assertThat(syntax.body().path("errors").isArray()).isTrue();
    Gql.Reply unknown = Gql.query(sim, "{ shop { nosuch } }");
    assertThat(unknown.body().at("/errors/0/message").asText()).contains("nosuch");
    Gql.Reply badVar = Gql.query(sim, IDS, "first", "ten");
    assertThat(badVar.body().path("errors").isArray()).isTrue();
    assertThat(
            Gql.query(sim, "{ shop { ianaTimezone } }")
                .body()
                .at("/data/shop/ianaTimezone")
                .asText())
        .isEqualTo("America/New_York");
  }

  @Test
  void unknown_search_fields_come_back_as_warnings() {
    Gql.Reply r = Gql.query(sim, IDS, "first", 5, "q", "craeted_at:>'2026-01-01T00:00:00Z'");
    assertThat(r.body().at("/extensions/search/0/warnings/0/message").asText())
        .contains("craeted_at");
  }

  @Test
  void faults_follow_the_script_then_the_outage_windows() {
    sim.faults()
        .failNext(Fault.HTTP_502, 1)
        .failNext(Fault.GRAPHQL_INTERNAL_ERROR, 1)
        .failNext(Fault.HTTP_429, 1)
        .failNext(Fault.TRUNCATED_BODY, 1);
    assertThat(Gql.query(sim, "{ shop { name } }").status()).isEqualTo(502);
    assertThat(Gql.query(sim, "{ shop { name } }").body().at("/errors/0/extensions/code").asText())
        .isEqualTo("INTERNAL_SERVER_ERROR");
    assertThat(Gql.query(sim, "{ shop { name } }").status()).isEqualTo(429);
    assertThat(Gql.query(sim, "{ shop { name } }").body()).isNull(); // cut half way
    sim.faults().outage(clock.instant(), clock.instant().plusSeconds(60));
    assertThat(Gql.query(sim, "{ shop { name } }").status()).isEqualTo(503);
    clock.advance(Duration.ofSeconds(60));
    assertThat(Gql.query(sim, "{ shop { name } }").status()).isEqualTo(200);
  }

  @Test
  void the_control_api_refuses_bad_requests_clearly() {
    assertThat(Gql.control(sim, "/control/faults", "{\"fault\":\"HTTP_999\"}"))
        .satisfies(
            r -> {
              assertThat(r.status()).isEqualTo(400);
              assertThat(r.body().path("error").asText()).contains("unknown fault");
            });
    assertThat(Gql.control(sim, "/control/faults", "[1,2]").status()).isEqualTo(400);
    assertThat(Gql.control(sim, "/control/faults", "{oops").status()).isEqualTo(400);
    assertThat(Gql.control(sim, "/control/orders", "{}").body().path("error").asText())
        .contains("'count' is required");
    assertThat(Gql.control(sim, "/control/orders", "{\"count\":3}").status()).isEqualTo(200);
    assertThat(sim.shop().allOrders()).hasSize(3);
    Gql.Reply list = Gql.get(sim, "/control/orders");
    assertThat(list.body()).hasSize(3);
    assertThat(list.body().get(0).path("id").asText()).startsWith("gid://shopify/Order/");
    assertThat(list.body().get(2).path("writtenAt").asText()).isNotEmpty();
    assertThat(Gql.control(sim, "/control/clock", "{\"advanceSeconds\":60}").status())
        .isEqualTo(200);
  }
}
