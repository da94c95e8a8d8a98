package dev.ordersync.alerts;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ordersync.config.AppConfig;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Raises alerts to {@code alerts.webhookUrl}: each condition once while it holds and once more,
 * "resolved", when it clears. A send that fails is retried later (1 minute, doubling to an hour);
 * this runs as a job of its own, so no sync, webhook or feed ever waits for it.
 */
public final class Alerts {
  private static final Logger log = LoggerFactory.getLogger(Alerts.class);
  private static final Duration SEND_TIMEOUT = Duration.ofSeconds(5);
  private static final Duration FIRST_RETRY = Duration.ofMinutes(1);
  private static final Duration LAST_RETRY = Duration.ofHours(1);

  private final AlertConditions conditions;
  private final AlertLog alertLog;
  private final URI url;
  private final boolean slack;
  private final HttpClient http;
  private final Clock clock;
  private final ObjectMapper json = new ObjectMapper();

  public Alerts(
      AlertConditions conditions,
      AlertLog alertLog,
      AppConfig.AlertSettings settings,
      HttpClient http,
      Clock clock) {
    this.conditions = conditions;
    this.alertLog = alertLog;
    this.url = settings.webhookUrl().orElseThrow();
    this.slack = settings.slack();
    this.http = http;
    this.clock = clock;
  }

  /** Reads the conditions, records what changed and sends what is due. */
  public void check() {
    Instant now = clock.instant();
    alertLog.update(conditions.now(), now);
    for (AlertLog.Pending p : alertLog.due(now)) {
      if (send(p)) {
        alertLog.sent(p);
      } else {
        Duration wait = FIRST_RETRY.multipliedBy(1L << Math.min(6, p.attempts()));
        alertLog.failed(p, now.plus(wait.compareTo(LAST_RETRY) > 0 ? LAST_RETRY : wait));
      }
    }
  }

  private boolean send(AlertLog.Pending p) {
    try {
      HttpRequest req =
          HttpRequest.newBuilder(url)
              .timeout(SEND_TIMEOUT)
              .header("Content-Type", "application/json")
              .POST(HttpRequest.BodyPublishers.ofString(body(p), StandardCharsets.UTF_8))
              .build();
      int status = http.send(req, HttpResponse.BodyHandlers.discarding()).statusCode();
      if (status / 100 == 2) {
        return true;
      }
      log.warn(
          "the alert receiver answered HTTP {}; the alert {} is sent again later", status, p.key());
    } catch (IOException e) {
      log.warn(
          "the alert receiver cannot be reached ({}); the alert {} is sent again later",
          e.getClass().getSimpleName(),
          p.key());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return false;
  }

  private String body(AlertLog.Pending p) {
    Map<String, Object> m = new LinkedHashMap<>();
    String status = p.resolved() ? "resolved" : "firing";
    if (slack) {
      m.put(
          "text",
          (p.resolved() ? ":white_check_mark: resolved: " : ":rotating_light: ") + p.summary());
    } else {
      m.put("status", status);
      m.put("alert", p.key());
      m.put("summary", p.summary());
      m.put("at", clock.instant().toString());
    }
    try {
      return json.writeValueAsString(m);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
