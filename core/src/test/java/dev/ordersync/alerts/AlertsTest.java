package dev.ordersync.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.ordersync.App;
import dev.ordersync.config.AppConfig;
import dev.ordersync.reconcile.ReconcileReport;
import dev.ordersync.sync.Checkpoints;
import dev.ordersync.sync.Window;
import dev.ordersync.testing.Harness;
import dev.ordersync.testing.TestDatabases;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Alerts to {@code alerts.webhookUrl} (issue 17), against a local receiver: a condition is sent
 * once while it holds and once more, resolved, when it clears; a receiver that is down gets the
 * alert later.
 */
class AlertsTest {
  private HttpServer receiver;
  private final List<JsonNode> received = new CopyOnWriteArrayList<>();
  private volatile int answer = 200;

  @BeforeEach
  void startReceiver() throws Exception {
    receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    receiver.createContext(
        "/hook",
        ex -> {
          byte[] body = ex.getRequestBody().readAllBytes();
          if (answer == 200) {
            received.add(new ObjectMapper().readTree(new String(body, StandardCharsets.UTF_8)));
          }
          ex.sendResponseHeaders(answer, -1);
          ex.close();
        });
    receiver.start();
  }

  @AfterEach
  void stopReceiver() {
    receiver.stop(0);
  }

  private App app(Harness h, boolean slack) {
    AppConfig.AlertSettings s =
        AppConfig.AlertSettings.defaults()
            .withWebhookUrl(
                URI.create("http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook"));
    if (!slack) {
      s =
          new AppConfig.AlertSettings(
              s.webhookUrl(), false, s.failingPasses(), s.webhookSilence(), s.failedOrderAge());
    }
    h.withConfig(h.config().withAlerts(s));
    return h.app();
  }

  @ParameterizedTest
  @EnumSource(TestDatabases.Kind.class)
  void a_mismatch_is_sent_once_and_once_more_when_it_is_resolved(TestDatabases.Kind db) {
    try (Harness h = new Harness(db)) {
      App app = app(h, true);
      Alerts alerts = app.service().alerts().orElseThrow();
      Window day =
          new Window(
              Window.floorToSecond(Harness.START.minus(Duration.ofDays(1))),
              Window.floorToSecond(Harness.START.minus(Duration.ofHours(1))));
      // a real mismatch: an order stored that Shopify does not have (an outage is UNREACHABLE)
      dev.ordersync.orders.Order extra =
          dev.ordersync.testing.TestOrders.order(
              h.shop().value(),
              999_999,
              day.start().plusSeconds(60),
              day.start().plusSeconds(60),
              1,
              "x");
      app.orders()
          .batches()
          .store(
              java.util.List.of(dev.ordersync.orders.FetchedOrder.mapped(extra)),
              dev.ordersync.orders.StorePath.WEBHOOK);
      assertThat(reconcile(app, day)).isEqualTo(ReconcileReport.Status.MISMATCH);

      alerts.check();
      alerts.check();
      h.advance(Duration.ofMinutes(5));
      alerts.check();
      assertThat(received).hasSize(1);
      assertThat(received.get(0).path("text").asText())
          .contains("MISMATCH")
          .contains(h.shop().value())
          .doesNotContain("resolved");

      app.service()
          .db()
          .inTransaction(
              c -> {
                app.orders()
                    .batches()
                    .markDeleted(
                        c,
                        java.util.List.of(
                            new dev.ordersync.orders.OrderBatches.Deletion(
                                h.shop().value(), extra.id())),
                        h.clock.instant());
                return null;
              });
      assertThat(reconcile(app, day)).isEqualTo(ReconcileReport.Status.OK);
      alerts.check();
      alerts.check();
      assertThat(received).hasSize(2);
      assertThat(received.get(1).path("text").asText()).contains("resolved").contains("MISMATCH");
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabases.Kind.class)
  void a_receiver_that_is_down_gets_the_alert_later(TestDatabases.Kind db) {
    try (Harness h = new Harness(db)) {
      App app = app(h, false);
      Alerts alerts = app.service().alerts().orElseThrow();
      for (int i = 0; i < 3; i++) {
        app.sync()
            .checkpoints()
            .recordFailure(
                h.shop(), Checkpoints.ORDERS, Harness.START, "Shopify down", h.clock.instant());
      }
      answer = 503;
      alerts.check();
      assertThat(received).isEmpty();

      answer = 200;
      alerts.check();
      assertThat(received).as("not before its retry is due").isEmpty();
      h.advance(Duration.ofMinutes(1));
      alerts.check();
      assertThat(received).hasSize(1);
      JsonNode alert = received.get(0);
      assertThat(alert.path("status").asText()).isEqualTo("firing");
      assertThat(alert.path("alert").asText()).isEqualTo("sync-failing:" + h.shop());
      assertThat(alert.path("summary").asText()).contains("3 sync passes in a row failed");

      app.sync().once(h.shop());
      alerts.check();
      assertThat(received).hasSize(2);
      assertThat(received.get(1).path("status").asText()).isEqualTo("resolved");
    }
  }

  private static ReconcileReport.Status reconcile(App app, Window day) {
    return app.reconcile()
        .reconciliations()
        .window(day, ReconcileReport.Kind.MANUAL, false)
        .get(0)
        .status();
  }
}
