package dev.ordersync.service;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ordersync.App;
import dev.ordersync.config.AppConfig;
import dev.ordersync.secrets.Secret;
import dev.ordersync.testing.Harness;
import dev.ordersync.testing.TestDatabases;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Issue 11, finding 8: what listens where, behind what, with which headers. */
class HttpProtectionTest {
  private final HttpClient http = HttpClient.newHttpClient();

  private HttpResponse<String> get(int port, String path, String authorization) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path));
    if (authorization != null) {
      b.header("Authorization", authorization);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void with_an_admin_port_the_main_port_serves_only_webhooks_and_health() throws Exception {
    try (Harness h = new Harness(TestDatabases.Kind.H2)) {
      App app = h.app();
      AppConfig.HttpSettings settings =
          new AppConfig.HttpSettings("127.0.0.1", 0, "127.0.0.1", 0, List.of());
      try (HttpApi api = app.service().httpApi(() -> {}).start(settings)) {
        assertThat(api.adminPort()).isNotEqualTo(api.port());
        assertThat(get(api.port(), "/healthz", null).statusCode()).isEqualTo(200);
        for (String path : List.of("/", "/metrics", "/readyz")) {
          assertThat(get(api.port(), path, null).statusCode()).as(path).isEqualTo(404);
          assertThat(get(api.adminPort(), path, null).statusCode()).as(path).isEqualTo(200);
        }
        assertThat(get(api.adminPort(), "/webhooks/shopify", null).statusCode()).isIn(404, 405);
      }
    }
  }

  @Test
  void with_api_tokens_the_status_page_and_metrics_need_one() throws Exception {
    try (Harness h = new Harness(TestDatabases.Kind.H2)) {
      h.withConfig(withTokens(h.config(), "s3cr3t-token"));
      App app = h.app();
      try (HttpApi api = app.service().httpApi(() -> {}).start("127.0.0.1", 0)) {
        for (String path : List.of("/", "/metrics")) {
          HttpResponse<String> none = get(api.port(), path, null);
          assertThat(none.statusCode()).as(path).isEqualTo(401);
          assertThat(none.headers().firstValue("WWW-Authenticate")).isPresent();
          assertThat(get(api.port(), path, "Bearer wrong").statusCode()).isEqualTo(401);
          assertThat(get(api.port(), path, "Bearer s3cr3t-token").statusCode()).isEqualTo(200);
          assertThat(
                  get(
                          api.port(),
                          path,
                          "Basic "
                              + Base64.getEncoder()
                                  .encodeToString(
                                      "ops:s3cr3t-token".getBytes(StandardCharsets.UTF_8)))
                      .statusCode())
              .as("a browser's Basic login")
              .isEqualTo(200);
        }
        assertThat(get(api.port(), "/healthz", null).statusCode()).isEqualTo(200);
        assertThat(get(api.port(), "/readyz", null).statusCode()).isEqualTo(200);
      }
    }
  }

  @Test
  void every_page_carries_the_security_headers() throws Exception {
    try (Harness h = new Harness(TestDatabases.Kind.H2)) {
      App app = h.app();
      try (HttpApi api = app.service().httpApi(() -> {}).start("127.0.0.1", 0)) {
        HttpResponse<String> page = get(api.port(), "/", null);
        assertThat(page.headers().firstValue("Content-Security-Policy"))
            .hasValueSatisfying(
                csp ->
                    assertThat(csp)
                        .contains("script-src 'self'")
                        .doesNotContain("unsafe-eval")
                        .doesNotContain("script-src 'self' 'unsafe-inline'"));
        for (String path : List.of("/", "/healthz", "/metrics")) {
          HttpResponse<String> r = get(api.port(), path, null);
          assertThat(r.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
          assertThat(r.headers().firstValue("Referrer-Policy")).hasValue("no-referrer");
        }
        assertThat(page.body()).doesNotContain("<script>");
      }
    }
  }

  private static AppConfig withTokens(AppConfig c, String token) {
    AppConfig.HttpSettings h = c.http();
    return c.withHttp(
        new AppConfig.HttpSettings(
            h.host(), h.port(), h.adminHost(), h.adminPort(), List.of(new Secret(token))));
  }
}
