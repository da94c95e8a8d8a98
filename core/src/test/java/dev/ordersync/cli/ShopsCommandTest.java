package dev.ordersync.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ordersync.App;
import dev.ordersync.AppOptions;
import dev.ordersync.config.AppConfig;
import dev.ordersync.config.ConfigLoader;
import dev.ordersync.service.Service;
import dev.ordersync.simulator.ShopFleet;
import dev.ordersync.simulator.Simulator;
import dev.ordersync.testing.TestDatabases;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 25: the shops as an operator drives them from the command line while {@code run} runs: an
 * install link a merchant opens, then list, pause, remove and resume, on every instance, no
 * restart.
 */
class ShopsCommandTest {
  @TempDir Path dir;

  record Run(int exit, String out, String err) {}

  private static Run run(String... args) {
    PrintStream out = System.out;
    PrintStream err = System.err;
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    ByteArrayOutputStream e = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
      int code = Main.run(args);
      return new Run(code, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(out);
      System.setErr(err);
    }
  }

  private static List<JsonNode> lines(String out) throws Exception {
    List<JsonNode> rows = new ArrayList<>();
    for (String line : out.split("\n")) {
      if (!line.isBlank()) {
        rows.add(new ObjectMapper().readTree(line));
      }
    }
    return rows;
  }

  @Test
  void an_operator_hands_out_an_install_link_then_pauses_removes_and_resumes_the_shop()
      throws Exception {
    try (ShopFleet fleet = ShopFleet.start(0)) {
      Simulator sim =
          Simulator.builder()
              .in(fleet)
              .domain("shop-001.myshopify.com")
              .token("shpat_unused")
              .clientCredentials("cli-app", "cli-app-secret", Duration.ofHours(1))
              .start();
      int port;
      try (ServerSocket s = new ServerSocket(0)) {
        port = s.getLocalPort();
      }
      String db = TestDatabases.fresh(TestDatabases.Kind.POSTGRES);
      Path config = dir.resolve("order-sync.yml");
      Files.writeString(
          config,
          "database: "
              + db
              + "\nhttp:\n  host: 127.0.0.1\n  port: "
              + port
              + "\napp:\n  clientId: cli-app\n  clientSecret: cli-app-secret\n  url: http://127.0.0.1:"
              + port
              + "\n  shopifyUrl: http://127.0.0.1:"
              + fleet.port()
              + "/shops/{shop}\n");
      AppConfig cfg = new ConfigLoader(System::getenv).load(config);
      String c = config.toString();
      try (App app = App.open(cfg, db, AppOptions.production());
          Service service = app.service().create().start(cfg.http())) {
        Run link = run("shops", "install-link", "shop-001.myshopify.com", "--config", c);
        assertThat(link.exit()).as(link.err()).isZero();
        URI authorize = URI.create(link.out().trim());
        assertThat(authorize.toString())
            .startsWith("http://127.0.0.1:" + fleet.port() + "/shops/shop-001.myshopify.com/");
        HttpClient browser =
            HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).build();
        HttpResponse<String> page =
            browser.send(
                HttpRequest.newBuilder(authorize).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(page.statusCode()).as(page.body()).isEqualTo(200);
        assertThat(page.body()).contains("shop-001.myshopify.com");

        List<JsonNode> listed = lines(run("shops", "list", "--json", "--config", c).out());
        assertThat(listed).hasSize(1);
        assertThat(listed.get(0).get("shop").asText()).isEqualTo("shop-001.myshopify.com");
        assertThat(listed.get(0).get("source").asText()).isEqualTo("installed");
        assertThat(listed.get(0).get("status").asText()).isEqualTo("active");
        assertThat(listed.get(0).get("scopes").asText()).isEqualTo("read_all_orders,read_orders");
        assertThat(listed.get(0).get("installedAt").isNull()).isFalse();

        assertThat(run("shops", "pause", "shop-001.myshopify.com", "--config", c).exit()).isZero();
        assertThat(
                lines(run("shops", "list", "--json", "--config", c).out())
                    .get(0)
                    .get("status")
                    .asText())
            .isEqualTo("paused");
        Run remove = run("shops", "remove", "shop-001.myshopify.com", "--config", c);
        assertThat(remove.exit()).isZero();
        assertThat(remove.err()).contains("its orders stay");
        assertThat(lines(run("shops", "list", "--json", "--config", c).out())).isEmpty();
        assertThat(app.shops().apis().names()).isEmpty();
        assertThat(run("shops", "resume", "shop-001.myshopify.com", "--config", c).exit()).isZero();
        assertThat(
                lines(run("shops", "list", "--json", "--config", c).out())
                    .get(0)
                    .get("status")
                    .asText())
            .isEqualTo("active");

        Run unknown = run("shops", "pause", "nope.myshopify.com", "--config", c);
        assertThat(unknown.exit()).isEqualTo(Main.FAILED);
        assertThat(unknown.err()).contains("unknown shop 'nope.myshopify.com'");
        assertThat(run("shops", "install-link", "not a shop", "--config", c).exit())
            .isEqualTo(Main.USAGE);
      }
      Run noApp = run("shops", "install-link", "shop-001.myshopify.com", "--db", db);
      assertThat(noApp.exit()).isEqualTo(Main.USAGE);
      assertThat(noApp.err()).contains("app:");
    }
  }
}
