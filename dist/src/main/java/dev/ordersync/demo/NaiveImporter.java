package dev.ordersync.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * What the seed says the old jobs did, for contrast: consecutive windows on {@code created_at} with
 * exclusive bounds at both ends ({@code >'from' AND <'to'}, the next window starting at the
 * previous end), up to "now", one attempt per request, and the window counted as done whatever
 * happened. It keeps the ids it imported in memory.
 */
public final class NaiveImporter {
  private final URI endpoint;
  private final String token;
  private final HttpClient http = HttpClient.newHttpClient();
  private final ObjectMapper json = new ObjectMapper();
  private final Set<String> imported = new HashSet<>();
  private Instant lastEnd;
  private int failedWindows;

  public NaiveImporter(URI endpoint, String token, Instant start) {
    this.endpoint = endpoint;
    this.token = token;
    this.lastEnd = start;
  }

  /** One run of the job: the window from the previous end to now. */
  public void run(Instant now) {
    Instant from = lastEnd;
    Instant to = now.truncatedTo(ChronoUnit.SECONDS);
    lastEnd = to; // the job "ran", so the next one starts here, whatever happened below
    String query = "created_at:>'" + from + "' AND created_at:<'" + to + "'";
    String after = null;
    try {
      while (true) {
        JsonNode conn = page(query, after);
        if (conn == null) {
          failedWindows++;
          return;
        }
        for (JsonNode n : conn.path("nodes")) {
          imported.add(n.path("id").asText());
        }
        if (!conn.path("pageInfo").path("hasNextPage").asBoolean(false)) {
          return;
        }
        after = conn.path("pageInfo").path("endCursor").asText();
      }
    } catch (java.io.IOException e) {
      failedWindows++;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private JsonNode page(String search, String after)
      throws java.io.IOException, InterruptedException {
    Map<String, Object> vars = new java.util.HashMap<>();
    vars.put("q", search);
    vars.put("after", after);
    String body =
        json.writeValueAsString(
            Map.of(
                "query",
                "query($q: String!, $after: String) "
                    + "{ orders(first: 250, after: $after, query: $q, sortKey: CREATED_AT) { nodes { id } "
                    + "pageInfo { hasNextPage endCursor } } }",
                "variables",
                vars));
    HttpResponse<String> resp =
        http.send(
            HttpRequest.newBuilder(endpoint)
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .header("X-Shopify-Access-Token", token)
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (resp.statusCode() != 200) {
      return null;
    }
    JsonNode root;
    try {
      root = json.readTree(resp.body());
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      return null;
    }
    JsonNode conn = root.path("data").path("orders");
    return conn.isObject() ? conn : null;
  }

  public Set<String> imported() {
    return imported;
  }

  public int failedWindows() {
    return failedWindows;
  }
}
