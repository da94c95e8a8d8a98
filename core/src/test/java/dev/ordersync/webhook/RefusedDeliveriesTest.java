package dev.ordersync.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ordersync.App;
import dev.ordersync.alerts.AlertConditions;
import dev.ordersync.config.AppConfig;
import dev.ordersync.config.ShopConfig;
import dev.ordersync.secrets.Hmac;
import dev.ordersync.secrets.Secret;
import dev.ordersync.service.HttpApi;
import dev.ordersync.testing.Harness;
import dev.ordersync.testing.TestDatabases;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Issue 26, item 2: deliveries refused for a wrong webhook secret are seen: kept per shop and
 * reason across restarts, in `webhooks status`' counters, in /metrics, on the dashboard and as an
 * alert.
 */
class RefusedDeliveriesTest {
  @ParameterizedTest
  @EnumSource(TestDatabases.Kind.class)
  void deliveries_refused_for_a_wrong_secret_are_kept_counted_and_alerted(TestDatabases.Kind kind)
      throws Exception {
    try (Harness h = new Harness(kind)) {
      ShopConfig s = h.config().shops().get(0);
      h.withConfig(
          h.config().withShops(List.of(s.withWebhookSecrets(List.of(new Secret("configured"))))));
      App app = h.app();
      WebhookWorker worker = app.webhooks().worker();
      try (HttpApi api = app.service().httpApi(() -> {}).start("127.0.0.1", 0)) {
        HttpClient http = HttpClient.newHttpClient();
        String body = "{\"id\":1,\"updated_at\":\"2026-11-20T10:00:00Z\"}";
        for (int i = 0; i < 3; i++) {
          HttpRequest request =
              HttpRequest.newBuilder(
                      URI.create("http://127.0.0.1:" + api.port() + "/webhooks/shopify"))
                  .POST(HttpRequest.BodyPublishers.ofString(body))
                  .header("X-Shopify-Topic", "orders/updated")
                  .header("X-Shopify-Webhook-Id", UUID.randomUUID().toString())
                  .header("X-Shopify-Shop-Domain", h.shop().value())
                  .header(
                      "X-Shopify-Hmac-Sha256",
                      Hmac.sign("the-apps-real-secret", body.getBytes(StandardCharsets.UTF_8)))
                  .build();
          assertThat(http.send(request, HttpResponse.BodyHandlers.ofString()).statusCode())
              .isEqualTo(401);
        }
      }
      worker.saveRefusals();

      App restarted = h.app();
      assertThat(restarted.webhooks().stats().rejected(h.shop().value()))
          .as("/metrics after a restart")
          .isEqualTo(3);
      assertThat(restarted.webhooks().inbox().counters())
          .filteredOn(c -> c.shop().equals(h.shop().value()))
          .singleElement()
          .satisfies(
              c -> {
                assertThat(c.refused()).isEqualTo(3);
                assertThat(c.lastRefusal()).isEqualTo("REJECTED_SIGNATURE");
                assertThat(c.lastRefusedAt()).isNotNull();
              });
      assertThat(
              new AlertConditions(
                      restarted.service().status(), AppConfig.AlertSettings.defaults(), h.clock)
                  .now())
          .anySatisfy(
              a -> assertThat(a.summary()).contains(h.shop().value()).contains("webhook secret"));
    }
  }
}
