package dev.ordersync.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ordersync.simulator.time.VirtualClock;
import dev.ordersync.simulator.traffic.TrafficGenerator;
import dev.ordersync.simulator.traffic.TrafficShape;
import dev.ordersync.simulator.webhooks.WebhookHub;
import io.javalin.Javalin;
import io.javalin.http.Handler;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class WebhookHubTest {
  record Delivery(Map<String, String> headers, String body) {}

  @Test
  void deliveries_are_signed_rest_payloads_with_shopify_headers_and_are_retried() {
    VirtualClock clock = new VirtualClock(Instant.parse("2026-11-20T15:00:00Z"));
    List<Delivery> got = new CopyOnWriteArrayList<>();
    AtomicInteger failFirst = new AtomicInteger(1);
    Javalin receiver =
        receiver(
            ctx -> {
              if (failFirst.getAndDecrement() > 0) {
                ctx.status(500);
                return;
              }
              got.add(
                  new Delivery(
                      Map.of(
                          "topic", ctx.header("X-Shopify-Topic"),
                          "hmac", ctx.header("X-Shopify-Hmac-Sha256"),
                          "shop", ctx.header("X-Shopify-Shop-Domain"),
                          "id", ctx.header("X-Shopify-Webhook-Id"),
                          "triggered", ctx.header("X-Shopify-Triggered-At")),
                      ctx.body()));
            });
    try (Simulator sim = Simulator.builder().clock(clock).webhookSecret("s3cret").start()) {
      sim.webhooks().subscribe("ORDERS_CREATE", "http://127.0.0.1:" + receiver.port() + "/hooks");
      sim.shop()
          .create(
              new TrafficGenerator(1, ZoneId.of("America/New_York")).draft(TrafficShape.even()));
      sim.tick();
      assertThat(got).isEmpty(); // the first attempt failed
      clock.advance(Duration.ofSeconds(10));
      sim.tick();
      assertThat(got)
          .singleElement()
          .satisfies(
              d -> {
                assertThat(d.headers().get("topic")).isEqualTo("orders/create");
                assertThat(d.headers().get("shop")).isEqualTo("sim-shop.myshopify.com");
                assertThat(d.headers().get("hmac")).isEqualTo(WebhookHub.hmac("s3cret", d.body()));
                assertThat(d.body())
                    .contains("\"admin_graphql_api_id\":\"gid://shopify/Order/")
                    .contains("\"created_at\":\"2026-11-20T10:00:00-05:00\"")
                    .contains("\"line_items\":[");
              });
    } finally {
      receiver.stop();
    }
  }

  @Test
  void deliveries_due_together_are_sent_at_once_not_one_after_another() {
    VirtualClock clock = new VirtualClock(Instant.parse("2026-11-20T15:00:00Z"));
    // each answer waits for the other request: one at a time, the first would time out
    CountDownLatch both = new CountDownLatch(2);
    AtomicInteger answered = new AtomicInteger();
    Javalin receiver =
        receiver(
            ctx -> {
              both.countDown();
              if (both.await(4, TimeUnit.SECONDS)) {
                answered.incrementAndGet();
              } else {
                ctx.status(503);
              }
            });
    try (Simulator sim = Simulator.builder().clock(clock).webhookSecret("s3cret").start()) {
      sim.webhooks().subscribe("ORDERS_CREATE", "http://127.0.0.1:" + receiver.port() + "/hooks");
      TrafficGenerator traffic = new TrafficGenerator(1, ZoneId.of("America/New_York"));
      sim.shop().create(traffic.draft(TrafficShape.even()));
      sim.shop().create(traffic.draft(TrafficShape.even()));
      sim.tick();
      assertThat(answered).hasValue(2);
      assertThat(sim.webhooks().stats().delivered).hasValue(2);
    } finally {
      receiver.stop();
    }
  }

  /** An app's webhook endpoint on a free port: POST /hooks. */
  private static Javalin receiver(Handler hooks) {
    return Javalin.create(
            c -> {
              c.startup.showJavalinBanner = false;
              c.routes.post("/hooks", hooks);
            })
        .start("127.0.0.1", 0);
  }

  @Test
  void the_hmac_matches_a_known_vector() {
    // HMAC-SHA256("key", "The quick brown fox jumps over the lazy dog"), base64
    assertThat(WebhookHub.hmac("key", "The quick brown fox jumps over the lazy dog"))
        .isEqualTo("97yD9DBThCSxMpjmqm+xQ+9NWaFJRhdZl0edvC0aPNg=");
  }
}
