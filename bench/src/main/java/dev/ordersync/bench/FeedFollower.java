package dev.ordersync.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * An OMS following the feed over HTTP as the README's client does: keeps its position, long-polls,
 * and rides out the service's kills and the database's restart by asking again. Records what it
 * saw, for the chaos run's feedMissing and feedOutOfOrder.
 */
final class FeedFollower implements Runnable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient http = HttpClient.newHttpClient();
  private final String base;
  private final String token;
  private final List<Long> seqs = new ArrayList<>();
  private final Set<String> ids = new HashSet<>();
  private volatile long position;
  private volatile boolean stopping;
  private volatile int failures;

  FeedFollower(String base, String token) {
    this.base = base;
    this.token = token;
  }

  @Override
  public void run() {
    while (!stopping) {
      if (!pollOnce(5)) {
        pause();
      }
    }
  }

  void stop() {
    stopping = true;
  }

  /** After {@link #stop}: reads until a page comes back empty, so everything committed is seen. */
  void drain() {
    while (true) {
      long before = position;
      if (!pollOnce(0)) {
        pause();
      } else if (position == before) {
        return;
      }
    }
  }

  private boolean pollOnce(int waitSeconds) {
    try {
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(
                      URI.create(
                          base
                              + "/api/v1/changes?after="
                              + position
                              + "&limit=1000&wait="
                              + waitSeconds))
                  .header("Authorization", "Bearer " + token)
                  .timeout(Duration.ofSeconds(30))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 200) {
        failures++;
        return false;
      }
      JsonNode page = JSON.readTree(r.body());
      synchronized (this) {
        for (JsonNode c : page.get("changes")) {
          seqs.add(c.get("seq").asLong());
          ids.add(c.get("shop").asText() + " " + c.get("id").asText());
        }
      }
      position = page.get("next").asLong();
      return true;
    } catch (IOException e) {
      failures++;
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      stopping = true;
      return false;
    }
  }

  private static void pause() {
    try {
      Thread.sleep(500);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Changes that did not come as the one after the last: a gap or a repeat. */
  synchronized int outOfOrder() {
    int bad = 0;
    long last = 0;
    for (long s : seqs) {
      if (s != last + 1) {
        bad++;
      }
      last = s;
    }
    return bad;
  }

  /** Each changed order, as its shop and id with a space between. */
  synchronized Set<String> ids() {
    return Set.copyOf(ids);
  }

  synchronized int changes() {
    return seqs.size();
  }

  int failedRequests() {
    return failures;
  }
}
