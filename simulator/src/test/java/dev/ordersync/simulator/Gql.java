package dev.ordersync.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.Map;

/** A bare GraphQL client for the simulator's tests. */
final class Gql {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  record Reply(int status, JsonNode body, String raw) {}

  static Reply post(Simulator sim, String token, String rawBody) {
    try {
      HttpRequest.Builder b =
          HttpRequest.newBuilder(URI.create(sim.endpoint()))
              .header("Content-Type", "application/json")
              .POST(HttpRequest.BodyPublishers.ofString(rawBody));
      if (token != null) {
        b.header("X-Shopify-Access-Token", token);
      }
      HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
      JsonNode body;
      try {
        body = JSON.readTree(r.body());
      } catch (Exception e) {
        body = null;
      }
      return new Reply(r.statusCode(), body, r.body());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static Reply query(Simulator sim, String query, Object... vars) {
    Map<String, Object> v = new HashMap<>();
    for (int i = 0; i < vars.length; i += 2) {
      v.put((String) vars[i], vars[i + 1]);
    }
    try {
      return post(
          sim,
          Simulator.DEFAULT_TOKEN,
          JSON.writeValueAsString(Map.of("query", query, "variables", v)));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static Reply control(Simulator sim, String path, String body) {
    try {
      HttpResponse<String> r =
          HTTP.send(
              HttpRequest.newBuilder(URI.create(sim.baseUrl() + path))
                  .POST(HttpRequest.BodyPublishers.ofString(body))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      return new Reply(r.statusCode(), JSON.readTree(r.body()), r.body());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static Reply get(Simulator sim, String path) {
    try {
      HttpResponse<String> r =
          HTTP.send(
              HttpRequest.newBuilder(URI.create(sim.baseUrl() + path)).GET().build(),
              HttpResponse.BodyHandlers.ofString());
      return new Reply(r.statusCode(), JSON.readTree(r.body()), r.body());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
