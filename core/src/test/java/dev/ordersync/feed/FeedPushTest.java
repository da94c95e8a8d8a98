package dev.ordersync.feed;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.ordersync.App;
import dev.ordersync.config.AppConfig;
import dev.ordersync.secrets.Secret;
import dev.ordersync.service.HttpApi;
import dev.ordersync.testing.Drafts;
import dev.ordersync.testing.Harness;
import dev.ordersync.testing.TestDatabases;
import dev.ordersync.webhook.WebhookVerifier;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntUnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The feed's push (issue 15) against a receiver on loopback: batches in order, signed, the position
 * kept; failures retried with backoff on the clock; a refusal stops the push without skipping.
 */
class FeedPushTest {
  private static final String SECRET = "push-secret";
  private final ObjectMapper json = new ObjectMapper();
  private final Drafts drafts = new Drafts(151);
  private Receiver receiver;

  /** A fake OMS: records each batch's body and whether its signature held; answers as told. */
  private static final class Receiver {
    final List<JsonNode> batches = new CopyOnWriteArrayList<>();
    final List<Boolean> signed = new CopyOnWriteArrayList<>();
    final AtomicInteger requests = new AtomicInteger();
    volatile IntUnaryOperator status = n -> 200;
    final HttpServer server;

    Receiver(int port) throws IOException {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
      ObjectMapper json = new ObjectMapper();
      server.createContext(
          "/oms/changes",
          exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            int n = requests.incrementAndGet();
            int answer = status.applyAsInt(n);
            if (answer == 200) {
              batches.add(json.readTree(body));
              signed.add(
                  WebhookVerifier.verify(
                      body,
                      exchange.getRequestHeaders().getFirst("X-OrderSync-Hmac-Sha256"),
                      List.of(new Secret(SECRET))));
            }
            exchange.sendResponseHeaders(answer, -1);
            exchange.close();
          });
      server.start();
    }

    int port() {
      return server.getAddress().getPort();
    }

    /** Every change received, by seq, in the order received. */
    List<Long> seqs() {
      List<Long> out = new ArrayList<>();
      for (JsonNode b : batches) {
        b.get("changes").forEach(c -> out.add(c.get("seq").asLong()));
      }
      return out;
    }
  }

  @AfterEach
  void stopReceiver() {
    if (receiver != null) {
      receiver.server.stop(0);
    }
  }

  private App app(Harness h, int batchSize) {
    h.withConfig(
        h.config()
            .withFeed(
                new AppConfig.FeedSettings(
                    Duration.ofDays(30),
                    Optional.of(
                        new AppConfig.PushSettings(
                            URI.create("http://127.0.0.1:" + receiver.port() + "/oms/changes"),
                            new Secret(SECRET),
                            batchSize)))));
    return h.app();
  }

  private void ordersStored(Harness h, App app, int n) {
    for (int i = 0; i < n; i++) {
      h.sim.shop().create(drafts.next());
      h.advance(Duration.ofSeconds(20));
    }
    h.advance(Duration.ofMinutes(5));
    app.sync().once(h.shop());
  }

  private static List<Long> oneTo(long n) {
    List<Long> out = new ArrayList<>();
    for (long i = 1; i <= n; i++) {
      out.add(i);
    }
    return out;
  }

  @Test
  void every_change_is_pushed_in_order_in_signed_batches_and_the_position_is_kept()
      throws Exception {
    receiver = new Receiver(0);
    try (Harness h = new Harness(TestDatabases.Kind.H2)) {
      App app = app(h, 4);
      ordersStored(h, app, 10);
      FeedPush push = app.feed().push().orElseThrow();

      assertThat(push.pushDue()).isEqualTo(new FeedPush.Pushed(3, true));
      assertThat(receiver.seqs()).isEqualTo(oneTo(10));
      assertThat(receiver.signed).containsOnly(true);
      assertThat(receiver.batches)
          .extracting(b -> b.get("next").asLong())
          .containsExactly(4L, 8L, 10L);
      assertThat(app.feed().pushTargets().get(FeedPush.NAME).orElseThrow().position())
          .isEqualTo(10);

      assertThat(app.feed().push().orElseThrow().pushDue()).isEqualTo(new FeedPush.Pushed(0, true));
      assertThat(receiver.requests.get()).isEqualTo(3);
    }
  }

  @Test
  void a_receiver_that_fails_is_retried_with_backoff_on_the_clock_and_nothing_is_skipped()
      throws Exception {
    receiver = new Receiver(0);
    receiver.status = n -> n == 2 || n == 3 ? 503 : 200;
    try (Harness h = new Harness(TestDatabases.Kind.H2)) {
      App app = app(h, 3);
      ordersStored(h, app, 7);
      FeedPush push = app.feed().push().orElseThrow();

      assertThat(push.pushDue()).isEqualTo(new FeedPush.Pushed(1, false));
      PushTargets.Target t = app.feed().pushTargets().get(FeedPush.NAME).orElseThrow();
      assertThat(t.position()).isEqualTo(3);
      assertThat(t.attempts()).isEqualTo(1);
      assertThat(t.lastError()).contains("503").contains("changes 4-6");
      assertThat(push.pushDue().batches()).as("not due yet").isZero();
      assertThat(receiver.requests.get()).isEqualTo(2);

      h.advance(Duration.ofMinutes(1));
      assertThat(push.pushDue()).isEqualTo(new FeedPush.Pushed(0, false)); // the second 503
      assertThat(app.feed().pushTargets().get(FeedPush.NAME).orElseThrow().attempts()).isEqualTo(2);
      h.advance(Duration.ofMinutes(1));
      assertThat(push.pushDue()).isEqualTo(new FeedPush.Pushed(2, true));
      assertThat(receiver.seqs()).isEqualTo(oneTo(7));
      assertThat(app.feed().pushTargets().get(FeedPush.NAME).orElseThrow().attempts()).isZero();
    }
  }

  @Test
  void a_refused_batch_stops_the_push_visibly_and_a_restart_sends_it_again() throws Exception {
    receiver = new Receiver(0);
    receiver.status = n -> n == 2 ? 422 : 200;
    try (Harness h = new Harness(TestDatabases.Kind.H2)) {
      App app = app(h, 2);
      ordersStored(h, app, 5);
      FeedPush push = app.feed().push().orElseThrow();

      assertThat(push.pushDue()).isEqualTo(new FeedPush.Pushed(1, false));
      PushTargets.Target t = app.feed().pushTargets().get(FeedPush.NAME).orElseThrow();
      assertThat(t.stopped()).isTrue();
      assertThat(t.stoppedReason()).contains("422").contains("changes 3-4").contains("restart run");
      h.advance(Duration.ofHours(1));
      assertThat(push.pushDue().batches()).as("stopped: nothing is sent").isZero();
      assertThat(app.service().status().feed().targets().get(0).stopped()).isTrue();
      try (HttpApi api = app.service().httpApi(() -> {}).start("127.0.0.1", 0)) {
        HttpResponse<String> metrics =
            HttpClient.newHttpClient()
                .send(
                    HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + api.port() + "/metrics"))
                        .build(),
                    HttpResponse.BodyHandlers.ofString());
        assertThat(metrics.body())
            .contains("ordersync_feed_push_stopped{target=\"push\"} 1.0")
            .contains("ordersync_feed_push_lag{target=\"push\"} 3.0")
            .contains("ordersync_feed_head 5.0");
        HttpResponse<String> page =
            HttpClient.newHttpClient()
                .send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.port() + "/"))
                        .build(),
                    HttpResponse.BodyHandlers.ofString());
        assertThat(page.body())
            .contains("<h2>Feed</h2>")
            .contains("stopped: the receiver answered 422");
      }

      push.resume(); // what run does when it starts
      assertThat(push.pushDue()).isEqualTo(new FeedPush.Pushed(2, true));
      assertThat(receiver.seqs()).isEqualTo(oneTo(5));
    }
  }

  @Test
  void a_receiver_killed_and_restarted_mid_stream_gets_every_change_in_order_each_batch_once()
      throws Exception {
    receiver = new Receiver(0);
    int port = receiver.port();
    receiver.status = n -> 200;
    try (Harness h = new Harness(TestDatabases.Kind.H2)) {
      App app = app(h, 2);
      ordersStored(h, app, 4);
      FeedPush push = app.feed().push().orElseThrow();
      assertThat(push.pushDue()).isEqualTo(new FeedPush.Pushed(2, true));

      receiver.server.stop(0); // killed
      List<JsonNode> before = new ArrayList<>(receiver.batches);
      ordersStored(h, app, 4);
      assertThat(push.pushDue()).isEqualTo(new FeedPush.Pushed(0, false));
      assertThat(app.feed().pushTargets().get(FeedPush.NAME).orElseThrow().lastError())
          .contains("from the receiver");

      receiver = new Receiver(port); // restarted, on the same address
      receiver.batches.addAll(0, before);
      h.advance(Duration.ofMinutes(1));
      assertThat(push.pushDue()).isEqualTo(new FeedPush.Pushed(2, true));
      assertThat(receiver.seqs()).isEqualTo(oneTo(8));
    }
  }
}
