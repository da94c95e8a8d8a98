package dev.ordersync.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ordersync.App;
import dev.ordersync.AppOptions;
import dev.ordersync.testing.Harness;
import dev.ordersync.testing.TestDatabases;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.ToIntFunction;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Pending deliveries are claimed (issue 16): of several instances on one database only one
 * processes each delivery, and the claim of an instance that died runs out and is taken over.
 */
class ClaimedDeliveriesTest {

  @ParameterizedTest
  @EnumSource(TestDatabases.Kind.class)
  void deliveries_another_instance_claimed_are_left_to_it_until_its_claim_runs_out(
      TestDatabases.Kind db) {
    try (Harness h = new Harness(db)) {
      App app = h.app();
      record(app, h, 10);
      app.webhooks()
          .inbox()
          .claimPending("an instance that dies", h.clock.instant(), Duration.ofMinutes(5), 4);

      assertThat(app.webhooks().processor().processPending()).isEqualTo(6);
      h.advance(Duration.ofMinutes(4));
      assertThat(app.webhooks().processor().processPending()).isZero();
      h.advance(Duration.ofMinutes(2));
      assertThat(app.webhooks().processor().processPending()).isEqualTo(4);
      assertThat(app.webhooks().processor().processPending()).isZero();
    }
  }

  /** Issue 24, item 15: giving back a claim that ran out leaves the new holder's claim alone. */
  @ParameterizedTest
  @EnumSource(TestDatabases.Kind.class)
  void releasing_a_claim_that_was_taken_over_leaves_the_new_claim(TestDatabases.Kind db) {
    try (Harness h = new Harness(db)) {
      App app = h.app();
      record(app, h, 1);
      WebhookInbox inbox = app.webhooks().inbox();
      WebhookInbox.Delivery slow =
          inbox.claimPending("slow", h.clock.instant(), Duration.ofMinutes(1), 10).get(0);
      h.advance(Duration.ofMinutes(2));
      inbox.claimPending("next", h.clock.instant(), Duration.ofMinutes(1), 10);

      inbox.release(java.util.List.of(slow), "slow");

      String holder =
          app.service()
              .db()
              .<String>read(
                  hd ->
                      hd.createQuery("SELECT claimed_by FROM webhook_deliveries")
                          .mapTo(String.class)
                          .one());
      assertThat(holder).isEqualTo("next");
      assertThat(inbox.claimPending("third", h.clock.instant(), Duration.ofMinutes(1), 10))
          .isEmpty();
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabases.Kind.class)
  void an_instance_whose_claim_ran_out_cannot_commit_its_processing_of_the_delivery(
      TestDatabases.Kind db) {
    try (Harness h = new Harness(db)) {
      App app = h.app();
      record(app, h, 1);
      WebhookInbox inbox = app.webhooks().inbox();
      WebhookInbox.Delivery slow =
          inbox.claimPending("slow", h.clock.instant(), Duration.ofMinutes(1), 10).get(0);
      h.advance(Duration.ofMinutes(2)); // the slow instance is still at it; its claim ran out
      WebhookInbox.Delivery next =
          inbox.claimPending("next", h.clock.instant(), Duration.ofMinutes(1), 10).get(0);

      assertThatThrownBy(() -> finish(app, slow, "slow"))
          .isInstanceOf(WebhookInbox.ClaimTakenOver.class);
      finish(app, next, "next");
      assertThatThrownBy(() -> finish(app, next, "next"))
          .as("a delivery already processed")
          .isInstanceOf(WebhookInbox.ClaimTakenOver.class);
      long attempts =
          app.service()
              .db()
              .<Long>read(
                  hd ->
                      hd.createQuery("SELECT attempts FROM webhook_deliveries")
                          .mapTo(Long.class)
                          .one());
      assertThat(attempts).isEqualTo(1);
    }
  }

  private static void finish(App app, WebhookInbox.Delivery d, String claimant) {
    app.service()
        .db()
        .inTransaction(
            hd -> {
              app.webhooks()
                  .inbox()
                  .finish(hd, d, claimant, DeliveryStatus.PROCESSED, null, java.time.Instant.now());
              return null;
            });
  }

  @ParameterizedTest
  @EnumSource(TestDatabases.Kind.class)
  void two_instances_processing_at_once_process_each_delivery_once(TestDatabases.Kind db)
      throws Exception {
    try (Harness h = new Harness(db);
        App second = secondInstance(h)) {
      App first = h.app();
      int n = 2_000;
      record(first, h, n);

      assertThat(atOnce(first, second, WebhookProcessor::processPending)).isEqualTo(n);
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabases.Kind.class)
  void two_instances_confirming_deletions_at_once_settle_each_once(TestDatabases.Kind db)
      throws Exception {
    try (Harness h = new Harness(db);
        App second = secondInstance(h)) {
      App first = h.app();
      int n = 200; // orders Shopify does not have: each deletion is confirmed
      record(first, h, n, "orders/delete");
      assertThat(first.webhooks().processor().processPending()).isEqualTo(n);

      assertThat(atOnce(first, second, WebhookProcessor::confirmDeletions)).isEqualTo(n);
      // a deletion is processed twice when it commits: to CONFIRMING, then settled
      long settledOtherThanOnce =
          first
              .service()
              .db()
              .<Long>read(
                  hd ->
                      hd.createQuery("SELECT COUNT(*) FROM webhook_deliveries WHERE attempts <> 2")
                          .mapTo(Long.class)
                          .one());
      assertThat(settledOtherThanOnce).isZero();
    }
  }

  /** Another instance on the harness's database, with a processor (and claimant) of its own. */
  private static App secondInstance(Harness h) {
    return App.open(
        h.config(),
        h.jdbcUrl,
        new AppOptions(h.clock, h.clock::advance, dev.ordersync.sync.CrashPoints.NONE, 2));
  }

  /** Runs the work on both instances' processors at once; what both returned, summed. */
  private static int atOnce(App first, App second, ToIntFunction<WebhookProcessor> work)
      throws Exception {
    CompletableFuture<Integer> a =
        CompletableFuture.supplyAsync(() -> work.applyAsInt(first.webhooks().processor()));
    CompletableFuture<Integer> b =
        CompletableFuture.supplyAsync(() -> work.applyAsInt(second.webhooks().processor()));
    return a.get() + b.get();
  }

  private static void record(App app, Harness h, int n) {
    record(app, h, n, "orders/create");
  }

  private static void record(App app, Harness h, int n, String topic) {
    for (int i = 0; i < n; i++) {
      app.webhooks()
          .inbox()
          .record(
              new WebhookInbox.Delivery(
                  h.shop().value(),
                  "delivery-" + i,
                  topic,
                  "event-" + i,
                  "2026-10",
                  h.clock.instant().toString(),
                  h.clock.instant().plusMillis(i),
                  topic.equals("orders/delete")
                      ? "{\"id\": " + (1000 + i) + "}"
                      : "{\"id\": " + (1000 + i) + ", \"name\": \"#" + i + "\"}",
                  DeliveryStatus.PENDING,
                  0));
    }
  }
}
