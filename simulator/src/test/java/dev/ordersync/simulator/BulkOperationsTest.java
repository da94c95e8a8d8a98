package dev.ordersync.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ordersync.simulator.store.SimOrder;
import dev.ordersync.simulator.time.VirtualClock;
import dev.ordersync.simulator.traffic.TrafficGenerator;
import dev.ordersync.simulator.traffic.TrafficShape;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The simulator's bulk query operations, as an app drives them over HTTP. */
class BulkOperationsTest {
  private static final Instant T = Instant.parse("2026-11-20T10:00:00Z");
  private static final ObjectMapper JSON = new ObjectMapper();
  private final VirtualClock clock = new VirtualClock(T.plus(Duration.ofHours(2)));
  private final Simulator sim = Simulator.builder().clock(clock).start();
  private final TrafficGenerator gen = new TrafficGenerator(3, ZoneId.of("America/New_York"));

  private static final String RUN =
      "mutation Run($q: String!, $group: Boolean!) { bulkOperationRunQuery(query: $q, "
          + "groupObjects: $group) { bulkOperation { id status } userErrors { code field message } } }";
  private static final String STATUS =
      "query Op($id: ID!) { bulkOperation(id: $id) { id status errorCode objectCount "
          + "rootObjectCount url partialDataUrl completedAt } }";
  private static final String ORDERS =
      "{ orders(query: \"created_at:>='2026-11-20T10:00:00Z'\") { edges { node { id name "
          + "shippingLine { title } lineItems { edges { node { id sku quantity } } } } } } }";

  @AfterEach
  void close() {
    sim.close();
  }

  private List<SimOrder> orders(int n) {
    List<SimOrder> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Instant at = T.plusSeconds(i);
      out.add(sim.shop().create(gen.draft(TrafficShape.even()), at, at));
    }
    return out;
  }

  private JsonNode run(String query, boolean group) {
    return Gql.query(sim, RUN, "q", query, "group", group)
        .body()
        .path("data")
        .path("bulkOperationRunQuery");
  }

  private JsonNode status(String id) {
    return Gql.query(sim, STATUS, "id", id).body().path("data").path("bulkOperation");
  }

  private static HttpResponse<String> download(String url) throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private static List<JsonNode> lines(String body) throws Exception {
    List<JsonNode> out = new ArrayList<>();
    for (String line : body.split("\n")) {
      if (!line.isEmpty()) {
        out.add(JSON.readTree(line));
      }
    }
    return out;
  }

  @Test
  void a_bulk_query_runs_in_the_background_and_its_jsonl_puts_children_after_their_parent()
      throws Exception {
    List<SimOrder> made = orders(300);
    long lineItems = made.stream().mapToLong(o -> o.lineItems().size()).sum();
    sim.bulk().setRate(100);
    JsonNode started = run(ORDERS, true);
    assertThat(started.path("userErrors")).isEmpty();
    String id = started.path("bulkOperation").path("id").asText();
    assertThat(id).startsWith("gid://shopify/BulkOperation/");

    clock.advance(Duration.ofSeconds(1));
    JsonNode running = status(id);
    assertThat(running.path("status").asText()).isEqualTo("RUNNING");
    assertThat(running.path("objectCount").asLong()).isEqualTo(100);
    assertThat(running.path("url").isNull()).isTrue();

    clock.advance(Duration.ofSeconds((300 + lineItems) / 100 + 1));
    JsonNode done = status(id);
    assertThat(done.path("status").asText()).isEqualTo("COMPLETED");
    assertThat(done.path("rootObjectCount").asLong()).isEqualTo(300);
    assertThat(done.path("objectCount").asLong()).isEqualTo(300 + lineItems);

    HttpResponse<String> file = download(done.path("url").asText());
    assertThat(file.statusCode()).isEqualTo(200);
    List<JsonNode> lines = lines(file.body());
    assertThat(lines).hasSize((int) (300 + lineItems));
    String parent = null;
    int roots = 0;
    for (JsonNode line : lines) {
      if (line.has("__parentId")) {
        assertThat(line.path("__parentId").asText()).isEqualTo(parent);
        assertThat(line.path("id").asText()).startsWith("gid://shopify/LineItem/");
      } else {
        parent = line.path("id").asText();
        assertThat(line.has("lineItems")).isFalse();
        roots++;
      }
    }
    assertThat(roots).isEqualTo(300);
  }

  @Test
  void ungrouped_children_may_come_long_after_their_parent() throws Exception {
    orders(260);
    String id = run(ORDERS, false).path("bulkOperation").path("id").asText();
    clock.advance(Duration.ofMinutes(5));
    List<JsonNode> lines = lines(download(status(id).path("url").asText()).body());
    // the first slice's 250 orders all come before any of their line items
    for (int i = 0; i < 250; i++) {
      assertThat(lines.get(i).has("__parentId")).isFalse();
    }
    assertThat(lines.get(250).has("__parentId")).isTrue();
  }

  @Test
  void queries_shopify_would_refuse_are_refused_with_user_errors() {
    Map<String, String> refused =
        Map.of(
            "a connection of nodes without ids",
            "{ orders { edges { node { id shippingLines { edges { node { title } } } } } } }",
            "top-level nodes",
            "{ nodes(ids: [\"gid://shopify/Order/1\"]) { id } }",
            "not valid",
            "{ orders { edges { node { idd } } } }");
    refused.forEach(
        (why, query) -> {
          JsonNode r = run(query, true);
          assertThat(r.path("bulkOperation").isNull()).as(why).isTrue();
          assertThat(r.path("userErrors").get(0).path("code").asText())
              .as(why)
              .isEqualTo("INVALID");
        });
  }

  @Test
  void five_run_at_once_from_2026_01_and_a_sixth_is_told_the_limit_is_reached() {
    orders(10);
    sim.bulk().setRate(1);
    for (int i = 0; i < 5; i++) {
      assertThat(run(ORDERS, true).path("userErrors")).isEmpty();
    }
    JsonNode sixth = run(ORDERS, true);
    assertThat(sixth.path("userErrors").get(0).path("code").asText()).isEqualTo("LIMIT_REACHED");
  }

  @Test
  void a_planned_failure_ends_failed_with_the_part_done_at_a_partial_data_url() throws Exception {
    orders(100);
    sim.bulk().failNext("INTERNAL_SERVER_ERROR", 0.5);
    String id = run(ORDERS, true).path("bulkOperation").path("id").asText();
    clock.advance(Duration.ofMinutes(5));
    JsonNode failed = status(id);
    assertThat(failed.path("status").asText()).isEqualTo("FAILED");
    assertThat(failed.path("errorCode").asText()).isEqualTo("INTERNAL_SERVER_ERROR");
    assertThat(failed.path("url").isNull()).isTrue();
    List<JsonNode> lines = lines(download(failed.path("partialDataUrl").asText()).body());
    assertThat(lines.stream().filter(l -> !l.has("__parentId")).count()).isEqualTo(50);
  }

  @Test
  void result_urls_expire_after_seven_days_and_cannot_be_forged() throws Exception {
    orders(5);
    String id = run(ORDERS, true).path("bulkOperation").path("id").asText();
    clock.advance(Duration.ofMinutes(1));
    String url = status(id).path("url").asText();
    assertThat(download(url.replace("signature=", "signature=0")).statusCode()).isEqualTo(403);
    clock.advance(Duration.ofDays(7).plusMinutes(1));
    assertThat(download(url).statusCode()).isEqualTo(400);
    assertThat(status(id).path("status").asText()).isEqualTo("EXPIRED");
  }

  @Test
  void a_cancelled_run_ends_canceled_without_a_file() {
    orders(50);
    sim.bulk().setRate(1);
    String id = run(ORDERS, true).path("bulkOperation").path("id").asText();
    JsonNode cancel =
        Gql.query(
                sim,
                "mutation C($id: ID!) { bulkOperationCancel(id: $id) { bulkOperation { status } "
                    + "userErrors { message } } }",
                "id",
                id)
            .body()
            .path("data")
            .path("bulkOperationCancel");
    assertThat(cancel.path("bulkOperation").path("status").asText()).isEqualTo("CANCELING");
    clock.advance(Duration.ofSeconds(1));
    assertThat(status(id).path("status").asText()).isEqualTo("CANCELED");
    assertThat(status(id).path("url").isNull()).isTrue();
  }
}
