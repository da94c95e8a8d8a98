package dev.ordersync.feed;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ordersync.App;
import dev.ordersync.config.AppConfig;
import dev.ordersync.secrets.Secret;
import dev.ordersync.service.HttpApi;
import dev.ordersync.simulator.store.SimOrder;
import dev.ordersync.testing.Drafts;
import dev.ordersync.testing.Harness;
import dev.ordersync.testing.TestDatabases;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The feed over HTTP (issue 15): behind a token, in order, long-polled, pruned with a 410. */
class FeedApiTest {
  private static final String TOKEN = "feed-reader-token";
  private final HttpClient http = HttpClient.newHttpClient();
  private final ObjectMapper json = new ObjectMapper();
  private final Drafts drafts = new Drafts(15);

  private static AppConfig withToken(AppConfig c) {
    AppConfig.HttpSettings h = c.http();
    return c.withHttp(
        new AppConfig.HttpSettings(
            h.host(), h.port(), h.adminHost(), h.adminPort(), List.of(new Secret(TOKEN))));
  }

  private HttpRequest.Builder request(int port, String path) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .header("Authorization", "Bearer " + TOKEN);
  }

  private HttpResponse<String> get(int port, String path) throws Exception {
    return http.send(request(port, path).build(), HttpResponse.BodyHandlers.ofString());
  }

  private List<SimOrder> ordersInShopify(Harness h, int n) {
    List<SimOrder> created = new java.util.ArrayList<>();
    for (int i = 0; i < n; i++) {
      created.add(h.sim.shop().create(drafts.next()));
      h.advance(Duration.ofSeconds(30));
    }
    h.advance(Duration.ofMinutes(5));
    return created;
  }

  @Test
  void without_a_configured_token_the_api_is_off_and_with_one_it_needs_it() throws Exception {
    try (Harness h = new Harness(TestDatabases.Kind.H2)) {
      try (HttpApi api = h.app().service().httpApi(() -> {}).start("127.0.0.1", 0)) {
        HttpResponse<String> off = get(api.port(), "/api/v1/changes");
        assertThat(off.statusCode()).isEqualTo(404);
        assertThat(off.body()).contains("the API is off").contains("http.apiTokens");
      }
      h.withConfig(withToken(h.config()));
      try (HttpApi api = h.app().service().httpApi(() -> {}).start("127.0.0.1", 0)) {
        for (String auth : new String[] {null, "Bearer wrong", "Bearer " + TOKEN + "x"}) {
          HttpRequest.Builder b =
              HttpRequest.newBuilder(
                  URI.create("http://127.0.0.1:" + api.port() + "/api/v1/changes"));
          if (auth != null) {
            b.header("Authorization", auth);
          }
          HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
          assertThat(r.statusCode()).as(String.valueOf(auth)).isEqualTo(401);
          assertThat(r.headers().firstValue("WWW-Authenticate"))
              .hasValue("Bearer realm=\"order-sync\"");
        }
        assertThat(get(api.port(), "/api/v1/changes").statusCode()).isEqualTo(200);
      }
    }
  }

  @Test
  void changes_come_in_pages_in_order_with_the_stored_order_and_one_order_by_id() throws Exception {
    try (Harness h = new Harness(TestDatabases.Kind.H2)) {
      h.withConfig(withToken(h.config()));
      App app = h.app();
      List<SimOrder> orders = ordersInShopify(h, 5);
      app.sync().once(h.shop());
      try (HttpApi api = app.service().httpApi(() -> {}).start("127.0.0.1", 0)) {
        JsonNode first = json.readTree(get(api.port(), "/api/v1/changes?after=0&limit=3").body());
        assertThat(first.get("changes")).hasSize(3);
        assertThat(first.get("next").asLong()).isEqualTo(3);
        JsonNode rest = json.readTree(get(api.port(), "/api/v1/changes?after=3&limit=100").body());
        assertThat(rest.get("changes")).hasSize(2);
        assertThat(rest.get("next").asLong()).isEqualTo(5);
        JsonNode c = first.get("changes").get(0);
        assertThat(c.get("seq").asLong()).isEqualTo(1);
        assertThat(c.get("shop").asText()).isEqualTo(h.shop().value());
        assertThat(c.get("kind").asText()).isEqualTo("created");
        assertThat(c.get("path").asText()).isEqualTo("POLL");
        assertThat(c.get("order").get("id").asText()).isEqualTo(c.get("id").asText());
        assertThat(c.get("order").get("lineItems").isArray()).isTrue();
        JsonNode empty = json.readTree(get(api.port(), "/api/v1/changes?after=5").body());
        assertThat(empty.get("changes")).isEmpty();
        assertThat(empty.get("next").asLong()).isEqualTo(5);

        String gid = orders.get(0).gid();
        String numeric = gid.substring(gid.lastIndexOf('/') + 1);
        for (String path :
            List.of(
                "/api/v1/orders/" + numeric,
                "/api/v1/orders/" + gid.replace(":", "%3A").replace("/", "%2F"))) {
          HttpResponse<String> one = get(api.port(), path);
          assertThat(one.statusCode()).as(path).isEqualTo(200);
          assertThat(json.readTree(one.body()).get("id").asText()).isEqualTo(gid);
        }
        assertThat(get(api.port(), "/api/v1/orders/999999").statusCode()).isEqualTo(404);
        assertThat(get(api.port(), "/api/v1/orders/nonsense").statusCode()).isEqualTo(400);
      }
    }
  }

  @Test
  void bad_parameters_get_a_400_that_says_what_is_allowed() throws Exception {
    try (Harness h = new Harness(TestDatabases.Kind.H2)) {
      h.withConfig(withToken(h.config()));
      try (HttpApi api = h.app().service().httpApi(() -> {}).start("127.0.0.1", 0)) {
        for (String q : List.of("after=-1", "after=abc", "limit=0", "limit=1001", "wait=61")) {
          HttpResponse<String> r = get(api.port(), "/api/v1/changes?" + q);
          assertThat(r.statusCode()).as(q).isEqualTo(400);
          assertThat(json.readTree(r.body()).get("error").asText())
              .as(q)
              .contains("must be a whole number from");
        }
      }
    }
  }

  @Test
  void a_long_poll_answers_as_soon_as_a_change_is_stored() throws Exception {
    try (Harness h = new Harness(TestDatabases.Kind.H2)) {
      h.withConfig(withToken(h.config()));
      App app = h.app();
      ordersInShopify(h, 1);
      try (HttpApi api = app.service().httpApi(() -> {}).start("127.0.0.1", 0)) {
        CompletableFuture<HttpResponse<String>> waiting =
            http.sendAsync(
                request(api.port(), "/api/v1/changes?after=0&wait=50").build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(waiting).isNotDone();
        app.sync().once(h.shop());

        HttpResponse<String> r = waiting.get(30, TimeUnit.SECONDS);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(json.readTree(r.body()).get("changes")).hasSize(1);
      }
    }
  }

  @Test
  void a_position_retention_has_pruned_gets_a_410_telling_to_resynchronise() throws Exception {
    try (Harness h = new Harness(TestDatabases.Kind.H2)) {
      h.withConfig(withToken(h.config()));
      App app = h.app();
      ordersInShopify(h, 3);
      app.sync().once(h.shop());
      h.advance(Duration.ofDays(31));
      assertThat(app.feed().changes().prune()).isEqualTo(3);
      try (HttpApi api = app.service().httpApi(() -> {}).start("127.0.0.1", 0)) {
        HttpResponse<String> gone = get(api.port(), "/api/v1/changes?after=1");
        assertThat(gone.statusCode()).isEqualTo(410);
        assertThat(json.readTree(gone.body()).get("error").asText())
            .contains("orders export")
            .contains("3");
        assertThat(get(api.port(), "/api/v1/changes?after=3").statusCode()).isEqualTo(200);
      }
    }
  }
}
