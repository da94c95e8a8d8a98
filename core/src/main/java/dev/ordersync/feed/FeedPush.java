package dev.ordersync.feed;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ordersync.config.AppConfig;
import dev.ordersync.secrets.Hmac;
import dev.ordersync.shopify.Backoff;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pushes the feed to the configured receiver: batches of changes POSTed in order, each signed with
 * {@code X-OrderSync-Hmac-Sha256} (the base64 HMAC-SHA256 of the raw body under {@code
 * feed.push.secret}, as Shopify signs its webhooks). The position moves only when the receiver
 * answers 2xx, and is kept in the database: after a crash or a restart the push re-sends at most
 * the batch it had not seen acknowledged. A network error, a timeout, 408, 429 or 5xx is retried
 * with capped backoff; any other answer stops the push (it never skips a batch) until {@code run}
 * starts again.
 *
 * <p>One instance pushes at a time: it claims the target (renewed before each batch) and moves the
 * position only while it holds the claim and only from the position it read after, like the webhook
 * claims. An instance that stalled past its claim can still have one request in flight when it
 * wakes, so a receiver may see a batch again, or an older one after a newer: receivers apply
 * changes by {@code seq} and ignore those at or below the last they applied (README).
 */
public final class FeedPush {
  /** The push target's name in feed_consumers. */
  public static final String NAME = "push";

  private static final Logger log = LoggerFactory.getLogger(FeedPush.class);
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

  /**
   * How long a claim on the push holds: longer than a batch's request with its timeout, and short,
   * since after a crash the next instance waits for it to run out before it pushes.
   */
  static final Duration CLAIM = REQUEST_TIMEOUT.plusSeconds(15);

  private final String claimant = java.util.UUID.randomUUID().toString();

  private final Feed feed;
  private final PushTargets targets;
  private final AppConfig.PushSettings settings;
  private final HttpClient http;
  private final Backoff backoff;
  private final Clock clock;
  private final ObjectMapper json = new ObjectMapper();

  public FeedPush(
      Feed feed,
      PushTargets targets,
      AppConfig.PushSettings settings,
      HttpClient http,
      Backoff backoff,
      Clock clock) {
    this.feed = feed;
    this.targets = targets;
    this.settings = settings;
    this.http = http;
    this.backoff = backoff;
    this.clock = clock;
  }

  /** What a pass did: batches acknowledged, and whether the receiver has everything there is. */
  public record Pushed(int batches, boolean caughtUp) {}

  /**
   * Sends the batches that are due, oldest first, until the receiver has every change, a batch
   * fails, or the push is stopped. One instance at a time moves the position (a conditional
   * update).
   */
  public Pushed pushDue() {
    String receiver = describe(settings.url());
    long start =
        settings.startAt() == AppConfig.StartAt.NOW ? feed.head().head() : feed.oldestPosition();
    PushTargets.Opened opened = targets.open(NAME, receiver, start);
    opened
        .replaced()
        .ifPresent(
            old ->
                log.info(
                    "feed push: the receiver changed from {} to {}; it starts after change {} "
                        + "(feed.push.startAt: {})",
                    old,
                    receiver,
                    opened.target().position(),
                    settings.startAt().name().toLowerCase(java.util.Locale.ROOT)));
    PushTargets.Target t = opened.target();
    if (t.stopped() || t.nextAttemptAt() != null && t.nextAttemptAt().isAfter(clock.instant())) {
      return new Pushed(0, false);
    }
    try {
      return push(t);
    } finally {
      targets.release(NAME, claimant);
    }
  }

  private Pushed push(PushTargets.Target t) {
    long position = t.position();
    int attempts = t.attempts();
    int sent = 0;
    while (true) {
      if (!targets.claim(NAME, claimant, clock.instant(), clock.instant().plus(CLAIM))) {
        return new Pushed(sent, false); // another instance is pushing
      }
      Feed.Page page;
      try {
        page = feed.page(position, settings.batchSize(), null);
      } catch (Feed.Pruned e) {
        stop(
            "the changes after "
                + position
                + " were pruned (feed.retention) before the receiver had them: resynchronise it "
                + "from orders export, then delete the row 'push' of feed_consumers");
        return new Pushed(sent, false);
      } catch (Feed.AheadOfHead e) {
        stop(
            "the receiver's position "
                + position
                + " is past the feed's last change (the database was restored or replaced): "
                + "resynchronise the receiver from orders export, then delete the row 'push' of "
                + "feed_consumers");
        return new Pushed(sent, false);
      }
      if (page.changes().isEmpty()) {
        return new Pushed(sent, true);
      }
      if (!post(page, position, attempts)
          || !targets.acknowledge(NAME, claimant, position, page.next(), clock.instant())) {
        return new Pushed(sent, false); // failed, stopped, or another instance pushed meanwhile
      }
      position = page.next();
      attempts = 0;
      sent++;
    }
  }

  /** After a start: a push stopped by a refused batch tries it again. */
  public void resume() {
    if (targets.resume(NAME)) {
      log.info("feed push to {}: resuming after it had stopped", describe(settings.url()));
    }
  }

  /** True when the receiver acknowledged the batch. */
  private boolean post(Feed.Page page, long position, int attemptsSoFar) {
    byte[] body;
    try {
      body = json.writeValueAsBytes(page.json());
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
    String batch = "changes " + (position + 1) + "-" + page.next();
    HttpRequest request =
        HttpRequest.newBuilder(settings.url())
            .timeout(REQUEST_TIMEOUT)
            .header("Content-Type", "application/json")
            .header("User-Agent", "order-sync")
            .header("X-OrderSync-Hmac-Sha256", Hmac.sign(settings.secret().reveal(), body))
            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
            .build();
    int status;
    try {
      status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (IOException e) {
      return retry(batch, attemptsSoFar, e.getClass().getSimpleName() + " from the receiver");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
    if (status >= 200 && status < 300) {
      return true;
    }
    if (status == 408 || status == 429 || status >= 500) {
      return retry(batch, attemptsSoFar, "the receiver answered " + status);
    }
    stop(
        "the receiver answered "
            + status
            + " to "
            + batch
            + ": fix the receiver (or "
            + "feed.push), then restart run; the batch is sent again, none is skipped");
    return false;
  }

  private boolean retry(String batch, int attemptsSoFar, String error) {
    int attempts = attemptsSoFar + 1;
    Instant next = clock.instant().plus(backoff.delay(attempts));
    targets.failed(NAME, attempts, next, error + " (" + batch + ")");
    log.warn(
        "feed push to {}: {} for {}, attempt {}; next at {}",
        describe(settings.url()),
        error,
        batch,
        attempts,
        next);
    return false;
  }

  private void stop(String reason) {
    targets.stop(NAME, reason, clock.instant());
    log.error("feed push to {} stopped: {}", describe(settings.url()), reason);
  }

  /** The URL without user info, query or fragment: what logs and the status page show. */
  static String describe(URI url) {
    return url.getScheme()
        + "://"
        + url.getHost()
        + (url.getPort() < 0 ? "" : ":" + url.getPort())
        + (url.getPath() == null ? "" : url.getPath());
  }
}
