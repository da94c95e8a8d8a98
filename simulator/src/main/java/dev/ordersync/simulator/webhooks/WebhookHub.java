package dev.ordersync.simulator.webhooks;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ordersync.simulator.store.OrderEvent;
import dev.ordersync.simulator.store.SimShop;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Webhook subscriptions and their deliveries, as Shopify makes them: the REST payload, the real
 * headers, an HMAC-SHA256 of the raw body keyed by the app's secret. On a seeded schedule it drops,
 * duplicates and delays deliveries (delays reorder them); a failed delivery is retried 8 times over
 * about 4 hours. Deliveries fall due on the shop's clock; {@link #deliverDue()} sends them.
 */
public final class WebhookHub {
  /** Shopify's retry schedule after a failed delivery: 8 retries over about 4 hours. */
  static final List<Duration> RETRIES =
      List.of(
          Duration.ofSeconds(10),
          Duration.ofSeconds(30),
          Duration.ofMinutes(1),
          Duration.ofMinutes(5),
          Duration.ofMinutes(15),
          Duration.ofMinutes(30),
          Duration.ofMinutes(60),
          Duration.ofMinutes(120));

  /** How many deliveries are sent at once. */
  static final int IN_FLIGHT = 8;

  private final SimShop shop;
  private final ObjectMapper json = new ObjectMapper();
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
  // a blocking send on threads of its own: the client's sendAsync hands each answer to a new
  // thread when the common pool has one thread (a 2-core machine), 26,000 threads in the demo
  private final ExecutorService senders =
      Executors.newFixedThreadPool(
          IN_FLIGHT,
          r -> {
            Thread t = new Thread(r, "simulator-webhooks");
            t.setDaemon(true);
            return t;
          });
  private final List<Subscription> subscriptions = new CopyOnWriteArrayList<>();
  private final PriorityQueue<Delivery> pending =
      new PriorityQueue<>(Comparator.comparing(Delivery::dueAt).thenComparing(Delivery::seq));
  private final AtomicLong seq = new AtomicLong();
  private final Random random;
  private volatile String secret;
  private volatile double dropRate;
  private volatile double duplicateRate;
  private volatile Duration maxDelay = Duration.ZERO;
  private final Stats stats = new Stats();

  public WebhookHub(SimShop shop, String secret, long seed) {
    this.shop = shop;
    this.secret = secret;
    this.random = new Random(seed);
    shop.onEvent(this::enqueue);
  }

  public void setSecret(String secret) {
    this.secret = secret;
  }

  public synchronized void setFaults(double dropRate, double duplicateRate, Duration maxDelay) {
    this.dropRate = dropRate;
    this.duplicateRate = duplicateRate;
    this.maxDelay = maxDelay;
  }

  public synchronized String subscribe(String topic, String uri) {
    long id = 1000 + subscriptions.size();
    subscriptions.add(new Subscription(id, topic, uri));
    return "gid://shopify/WebhookSubscription/" + id;
  }

  /**
   * Sends a delivery of {@code topic} (its header, e.g. {@code app/uninstalled}) now, signed like
   * every other, to {@code uri}; the HTTP status of the answer, or -1 when none came.
   */
  public int sendNow(String topic, String uri, Object payload) {
    String body;
    try {
      body = json.writeValueAsString(payload);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
    HttpRequest req =
        request(
            uri,
            topic,
            body,
            UUID.randomUUID().toString(),
            UUID.randomUUID().toString(),
            shop.clock().instant());
    try {
      return http.send(req, HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (java.io.IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  /**
   * The app is uninstalled: {@code app/uninstalled} goes to its subscriptions of that topic, then
   * every subscription of the app is gone (as Shopify deletes them). The statuses answered.
   */
  public List<Integer> uninstall() {
    List<Integer> answers = new java.util.ArrayList<>();
    Map<String, Object> payload = new java.util.LinkedHashMap<>();
    payload.put("id", 548380009L);
    payload.put("name", shop.domain().replace(".myshopify.com", ""));
    payload.put("domain", shop.domain());
    payload.put("myshopify_domain", shop.domain());
    for (Subscription s : subscriptions) {
      if (s.topic().equals("APP_UNINSTALLED") && s.uri().startsWith("http")) {
        answers.add(sendNow("app/uninstalled", s.uri(), payload));
      }
    }
    subscriptions.clear();
    return answers;
  }

  public List<Subscription> subscriptions() {
    return List.copyOf(subscriptions);
  }

  public Stats stats() {
    return stats;
  }

  private synchronized void enqueue(OrderEvent event) {
    String eventId =
        UUID.nameUUIDFromBytes(
                (event.order().id() + "@" + event.order().updatedAt() + event.topic())
                    .getBytes(StandardCharsets.UTF_8))
            .toString();
    for (Subscription s : subscriptions) {
      if (!s.topic().equals(event.topic().name()) || !s.uri().startsWith("http")) {
        continue; // Pub/Sub and EventBridge destinations are not delivered here
      }
      if (random.nextDouble() < dropRate) {
        stats.dropped.incrementAndGet();
        continue;
      }
      Map<String, Object> payload =
          event.topic() == OrderEvent.Topic.ORDERS_DELETE
              ? Map.of("id", event.order().id())
              : RestPayload.order(event.order(), shop.zone(), shop.domain());
      String body;
      try {
        body = json.writeValueAsString(payload);
      } catch (JsonProcessingException e) {
        throw new IllegalStateException(e);
      }
      String webhookId = UUID.randomUUID().toString();
      int copies = random.nextDouble() < duplicateRate ? 2 : 1;
      for (int i = 0; i < copies; i++) {
        Duration delay =
            maxDelay.isZero()
                ? Duration.ZERO
                : Duration.ofMillis((long) (random.nextDouble() * maxDelay.toMillis()));
        pending.add(
            new Delivery(
                seq.incrementAndGet(),
                s,
                event.topic().header(),
                body,
                webhookId,
                eventId,
                event.at(),
                event.at().plus(delay),
                0));
        if (i > 0) {
          stats.duplicated.incrementAndGet();
        }
      }
    }
  }

  /**
   * Sends every delivery that is due on the shop's clock, {@link #IN_FLIGHT} at a time (Shopify's
   * deliveries overlap, and their order is not guaranteed); returns how many were sent.
   */
  public int deliverDue() {
    int sent = 0;
    for (List<Delivery> due = takeDue(); !due.isEmpty(); due = takeDue()) {
      sent += due.size();
      List<CompletableFuture<Boolean>> answers = new ArrayList<>(due.size());
      for (Delivery d : due) {
        answers.add(CompletableFuture.supplyAsync(() -> send(d), senders));
      }
      for (int i = 0; i < due.size(); i++) {
        if (!answers.get(i).join()) {
          retryLater(due.get(i));
        }
      }
    }
    return sent;
  }

  private synchronized List<Delivery> takeDue() {
    List<Delivery> due = new ArrayList<>();
    Instant now = shop.clock().instant();
    while (!pending.isEmpty() && !pending.peek().dueAt().isAfter(now)) {
      due.add(pending.poll());
    }
    return due;
  }

  private synchronized void retryLater(Delivery d) {
    if (d.attempt() < RETRIES.size()) {
      pending.add(
          d.retryAt(shop.clock().instant().plus(RETRIES.get(d.attempt())), seq.incrementAndGet()));
    } else {
      stats.abandoned.incrementAndGet();
    }
  }

  public synchronized int pendingCount() {
    return pending.size();
  }

  /** True when the app answered 2xx. */
  private boolean send(Delivery d) {
    HttpRequest req =
        request(
            d.subscription().uri(),
            d.topic(),
            d.body(),
            d.webhookId(),
            d.eventId(),
            d.triggeredAt());
    boolean ok;
    try {
      int status = http.send(req, HttpResponse.BodyHandlers.discarding()).statusCode();
      ok = status >= 200 && status < 300;
    } catch (java.io.IOException e) {
      ok = false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      ok = false;
    }
    (ok ? stats.delivered : stats.failed).incrementAndGet();
    return ok;
  }

  /** Stops the threads that send deliveries. */
  public void close() {
    senders.shutdownNow();
  }

  /** A delivery as Shopify posts it: the real headers, the body signed with the app's secret. */
  private HttpRequest request(
      String uri,
      String topic,
      String body,
      String webhookId,
      String eventId,
      Instant triggeredAt) {
    return HttpRequest.newBuilder(URI.create(uri))
        .timeout(Duration.ofSeconds(5))
        .header("Content-Type", "application/json")
        .header("X-Shopify-Topic", topic)
        .header("X-Shopify-Hmac-Sha256", hmac(secret, body))
        .header("X-Shopify-Shop-Domain", shop.domain())
        .header("X-Shopify-API-Version", "2026-10")
        .header("X-Shopify-Webhook-Id", webhookId)
        .header("X-Shopify-Event-Id", eventId)
        .header("X-Shopify-Triggered-At", triggeredAt.toString())
        .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
        .build();
  }

  /** Base64 HMAC-SHA256 of the raw body, as in {@code X-Shopify-Hmac-Sha256}. */
  public static String hmac(String secret, String body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return Base64.getEncoder().encodeToString(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  public record Subscription(long id, String topic, String uri) {}

  record Delivery(
      long seq,
      Subscription subscription,
      String topic,
      String body,
      String webhookId,
      String eventId,
      Instant triggeredAt,
      Instant dueAt,
      int attempt) {
    Delivery retryAt(Instant at, long newSeq) {
      return new Delivery(
          newSeq, subscription, topic, body, webhookId, eventId, triggeredAt, at, attempt + 1);
    }
  }

  /** Counters of what the hub did, for tests and the demo's table. */
  public static final class Stats {
    public final AtomicLong delivered = new AtomicLong();
    public final AtomicLong failed = new AtomicLong();
    public final AtomicLong dropped = new AtomicLong();
    public final AtomicLong duplicated = new AtomicLong();
    public final AtomicLong abandoned = new AtomicLong();
  }
}
