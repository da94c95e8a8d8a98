package dev.ordersync.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ordersync.App;
import dev.ordersync.testing.Harness;
import dev.ordersync.testing.TestDatabases;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A delivery's body is a whole order with its customer's data: once settled it is kept for {@code
 * webhooks.retention} (30 days by default), then deleted; what is still to be done is kept.
 */
class WebhookRetentionTest {
  private static final Duration RETENTION = Duration.ofDays(30);

  @ParameterizedTest
  @EnumSource(TestDatabases.Kind.class)
  void settled_deliveries_older_than_the_retention_are_deleted_to_the_second(
      TestDatabases.Kind db) {
    try (Harness h = new Harness(db)) {
      App app = h.app();
      Instant cutoff = h.clock.instant().minus(RETENTION);
      // three days of history before the cutoff: the prune deletes it an hour at a time
      for (int hour = 0; hour < 72; hour++) {
        record(app, h, "old-" + hour, cutoff.minus(Duration.ofHours(72 - hour)), settled(hour));
      }
      record(app, h, "a-second-too-old", cutoff.minusSeconds(1), DeliveryStatus.PROCESSED);
      record(app, h, "at-the-cutoff", cutoff, DeliveryStatus.PROCESSED);
      record(app, h, "recent", cutoff.plus(Duration.ofDays(29)), DeliveryStatus.PROCESSED);
      record(app, h, "still-pending", cutoff.minus(Duration.ofDays(5)), DeliveryStatus.PENDING);
      record(app, h, "confirming", cutoff.minus(Duration.ofDays(5)), DeliveryStatus.CONFIRMING);

      assertThat(app.webhooks().retention().prune()).isEqualTo(73);

      assertThat(ids(app))
          .containsExactly("at-the-cutoff", "confirming", "recent", "still-pending");
      assertThat(app.webhooks().retention().prune()).isZero();
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabases.Kind.class)
  void a_delivery_becomes_old_enough_as_time_passes(TestDatabases.Kind db) {
    try (Harness h = new Harness(db)) {
      App app = h.app();
      record(app, h, "today", h.clock.instant(), DeliveryStatus.PROCESSED);

      h.advance(RETENTION);
      assertThat(app.webhooks().retention().prune()).isZero();
      h.advance(Duration.ofSeconds(1));
      assertThat(app.webhooks().retention().prune()).isEqualTo(1);
      assertThat(ids(app)).isEmpty();
    }
  }

  private static DeliveryStatus settled(int i) {
    return List.of(DeliveryStatus.PROCESSED, DeliveryStatus.FAILED, DeliveryStatus.IGNORED)
        .get(i % 3);
  }

  private static void record(
      App app, Harness h, String id, Instant receivedAt, DeliveryStatus status) {
    app.webhooks()
        .inbox()
        .record(
            new WebhookInbox.Delivery(
                h.shop().value(),
                id,
                "orders/create",
                "event-" + id,
                "2026-10",
                receivedAt.toString(),
                receivedAt,
                "{\"id\": 1, \"email\": \"someone@example.com\"}",
                status,
                0));
  }

  private static List<String> ids(App app) {
    return app.service()
        .db()
        .read(
            h ->
                h.createQuery("SELECT webhook_id FROM webhook_deliveries ORDER BY webhook_id")
                    .mapTo(String.class)
                    .list());
  }
}
