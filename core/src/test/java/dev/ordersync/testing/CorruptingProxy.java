package dev.ordersync.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.Javalin;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Shopify answering bad data: a proxy in front of the simulator that damages the named orders in
 * every response that carries them (a field removed, a value of the wrong kind).
 */
public final class CorruptingProxy implements AutoCloseable {
  private final Javalin http;
  private final ObjectMapper json = new ObjectMapper();
  private final Map<String, Consumer<ObjectNode>> damaged = new ConcurrentHashMap<>();

  public CorruptingProxy(String upstream) {
    HttpClient client = HttpClient.newHttpClient();
    this.http =
        Javalin.create(
                cfg -> {
                  cfg.startup.showJavalinBanner = false;
                  cfg.routes.post(
                      "/graphql.json",
                      ctx -> {
                        HttpRequest.Builder req =
                            HttpRequest.newBuilder(URI.create(upstream))
                                .POST(HttpRequest.BodyPublishers.ofString(ctx.body()))
                                .header("Content-Type", "application/json");
                        String token = ctx.header("X-Shopify-Access-Token");
                        if (token != null) {
                          req.header("X-Shopify-Access-Token", token);
                        }
                        HttpResponse<String> resp =
                            client.send(req.build(), HttpResponse.BodyHandlers.ofString());
                        String body = resp.body();
                        if (resp.statusCode() == 200 && !damaged.isEmpty()) {
                          JsonNode root = json.readTree(body);
                          corrupt(root);
                          body = json.writeValueAsString(root);
                        }
                        ctx.status(resp.statusCode()).contentType("application/json").result(body);
                      });
                })
            .start("127.0.0.1", 0);
  }

  public String endpoint() {
    return "http://127.0.0.1:" + http.port() + "/graphql.json";
  }

  public void damage(String gid, Consumer<ObjectNode> how) {
    damaged.put(gid, how);
  }

  public void heal() {
    damaged.clear();
  }

  private void corrupt(JsonNode node) {
    if (node.isObject()) {
      Consumer<ObjectNode> damage =
          node.has("id") && node.has("legacyResourceId")
              ? damaged.get(node.get("id").asText())
              : null;
      if (damage != null) {
        damage.accept((ObjectNode) node);
      }
      node.elements().forEachRemaining(this::corrupt);
    } else if (node.isArray()) {
      node.forEach(this::corrupt);
    }
  }

  @Override
  public void close() {
    http.stop();
  }
}
