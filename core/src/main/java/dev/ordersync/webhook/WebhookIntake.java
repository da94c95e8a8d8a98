package dev.ordersync.webhook;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ordersync.config.ShopDomain;
import dev.ordersync.db.DatabaseException;
import dev.ordersync.secrets.Secret;
import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * {@code POST /webhooks/shopify}: verifies the signature over the raw body, records the delivery
 * durably (keyed by {@code X-Shopify-Webhook-Id}, so a duplicate is acknowledged and ignored) and
 * answers 200 only then. Processing happens later, from the record, so the answer never waits for
 * Shopify's API or the order store's locks.
 *
 * <p>Nothing but a signed delivery reaches the database: refusals are counted in memory. A signed
 * body that does not fit its topic (Shopify signs the body, not the topic header) is acknowledged
 * and kept as a failure, never applied as what the topic says; a body that names another shop than
 * the header is refused; a delivery triggered longer ago than Shopify ever retries is acknowledged
 * and ignored, not processed: a replay.
 */
public final class WebhookIntake {
  /** Order payloads are far smaller; anything this big is not a Shopify order webhook. */
  public static final int MAX_BODY_BYTES = 2 * 1024 * 1024;

  /** Clocks differ a little; a delivery from further in the future is not believed. */
  private static final Duration MAX_AHEAD = Duration.ofHours(1);

  private static final Pattern TOPIC = Pattern.compile("[a-z_]{1,40}/[a-z_]{1,40}");
  private static final Pattern HEADER_TEXT = Pattern.compile("[\\x21-\\x7e]{1,255}");

  private final Function<ShopDomain, List<Secret>> secretsOf;
  private final Predicate<ShopDomain> takesOrders;
  private final GroupCommit recorder;
  private final WebhookStats stats;
  private final Clock clock;
  private final Duration maxAge;
  private final Runnable wakeProcessor;
  private final ObjectMapper json = new ObjectMapper();

  public WebhookIntake(
      Map<String, List<Secret>> secretsByShop,
      WebhookInbox inbox,
      WebhookStats stats,
      Clock clock,
      Duration maxAge,
      boolean groupCommit,
      Runnable wakeProcessor) {
    this(
        secretsOf(secretsByShop),
        shop -> true,
        inbox,
        stats,
        clock,
        maxAge,
        groupCommit,
        wakeProcessor);
  }

  /**
   * @param secretsOf the secrets a shop's deliveries may be signed with; null or none for a shop
   *     not served
   * @param takesOrders whether a shop's order topics are taken: not once it was uninstalled (its
   *     compliance deliveries still are)
   */
  public WebhookIntake(
      Function<ShopDomain, List<Secret>> secretsOf,
      Predicate<ShopDomain> takesOrders,
      WebhookInbox inbox,
      WebhookStats stats,
      Clock clock,
      Duration maxAge,
      boolean groupCommit,
      Runnable wakeProcessor) {
    this.secretsOf = secretsOf;
    this.takesOrders = takesOrders;
    this.recorder = new GroupCommit(inbox, groupCommit);
    this.stats = stats;
    this.clock = clock;
    this.maxAge = maxAge;
    this.wakeProcessor = wakeProcessor;
  }

  private static Function<ShopDomain, List<Secret>> secretsOf(Map<String, List<Secret>> byShop) {
    Map<String, List<Secret>> copy = Map.copyOf(byShop);
    return shop -> copy.get(shop.value());
  }

  public void handle(Context ctx) {
    ctx.contentType("application/json");
    if (ctx.contentLength() > MAX_BODY_BYTES) {
      reply(ctx, 413, "body larger than " + MAX_BODY_BYTES + " bytes");
      return;
    }
    byte[] raw = ctx.bodyAsBytes();
    if (raw.length > MAX_BODY_BYTES) {
      reply(ctx, 413, "body larger than " + MAX_BODY_BYTES + " bytes");
      return;
    }
    String shop = ctx.header("X-Shopify-Shop-Domain");
    Optional<ShopDomain> domain = ShopDomain.parse(shop);
    List<Secret> secrets = domain.map(secretsOf).orElse(null);
    if (secrets == null || secrets.isEmpty()) {
      stats.count(shop, WebhookStats.Outcome.REJECTED_SIGNATURE);
      reply(
          ctx,
          401,
          shop == null
              ? "X-Shopify-Shop-Domain is missing"
              : "no webhook secret is configured for this shop");
      return;
    }
    if (!WebhookVerifier.verify(raw, ctx.header("X-Shopify-Hmac-Sha256"), secrets)) {
      stats.count(shop, WebhookStats.Outcome.REJECTED_SIGNATURE);
      reply(ctx, 401, "the X-Shopify-Hmac-Sha256 signature does not match the body");
      return;
    }
    String topic = ctx.header("X-Shopify-Topic");
    String webhookId = ctx.header("X-Shopify-Webhook-Id");
    if (topic == null
        || !TOPIC.matcher(topic).matches()
        || !headerText(webhookId, false)
        || !headerText(ctx.header("X-Shopify-Event-Id"), true)
        || !headerText(ctx.header("X-Shopify-API-Version"), true)
        || !headerText(ctx.header("X-Shopify-Triggered-At"), true)) {
      stats.count(shop, WebhookStats.Outcome.REJECTED_MALFORMED);
      reply(
          ctx,
          400,
          "X-Shopify-Topic and X-Shopify-Webhook-Id are required, and the "
              + "X-Shopify headers must be short printable text");
      return;
    }
    String body = new String(raw, StandardCharsets.UTF_8);
    Optional<JsonNode> parsed = WebhookBodies.parse(body);
    if (parsed.isEmpty()) {
      stats.count(shop, WebhookStats.Outcome.REJECTED_MALFORMED);
      reply(ctx, 400, "the body is not a JSON object");
      return;
    }
    Optional<String> bodyShop = WebhookBodies.shopSaid(parsed.get());
    if (bodyShop.isPresent() && !bodyShop.get().equalsIgnoreCase(shop)) {
      // shops of one app share the signing secret: a delivery captured at one shop, replayed
      // under another's header, is signed all the same
      stats.count(shop, WebhookStats.Outcome.REJECTED_SHOP_MISMATCH);
      reply(ctx, 401, "the signed body belongs to another shop than X-Shopify-Shop-Domain");
      return;
    }
    if (!WebhookBodies.fits(topic, parsed.get())) {
      // signed by Shopify, so authentic: acknowledged (a refusal would be retried for hours and
      // the subscription warned of), and kept in failed_orders by the processor, never applied as
      // what the topic says
      stats.count(shop, WebhookStats.Outcome.KEPT_TOPIC_MISMATCH);
    }
    if (topic.startsWith("orders/") && !takesOrders.test(domain.get())) {
      stats.count(shop, WebhookStats.Outcome.IGNORED_NOT_INSTALLED);
      reply(ctx, 200, "ignored: the app is not installed on this shop");
      return;
    }
    if (!recent(ctx.header("X-Shopify-Triggered-At"))) {
      stats.count(shop, WebhookStats.Outcome.IGNORED_STALE);
      reply(ctx, 200, "ignored: X-Shopify-Triggered-At is missing or older than " + maxAge);
      return;
    }
    boolean handled = WebhookProcessor.handles(topic);
    boolean fresh;
    try {
      fresh =
          recorder.record(
              new WebhookInbox.Delivery(
                  shop,
                  webhookId,
                  topic,
                  ctx.header("X-Shopify-Event-Id"),
                  ctx.header("X-Shopify-API-Version"),
                  ctx.header("X-Shopify-Triggered-At"),
                  clock.instant(),
                  body,
                  handled ? DeliveryStatus.PENDING : DeliveryStatus.IGNORED,
                  0));
    } catch (DatabaseException e) {
      // not recorded, so not acknowledged: Shopify delivers it again later
      reply(ctx, 503, "the order store is unavailable; deliver again later");
      return;
    }
    reply(ctx, 200, !fresh ? "duplicate" : handled ? "recorded" : "ignored topic " + topic);
    if (fresh && handled) {
      wakeProcessor.run();
    }
  }

  private boolean recent(String triggeredAt) {
    if (triggeredAt == null) {
      return false;
    }
    Instant at;
    try {
      at = OffsetDateTime.parse(triggeredAt).toInstant();
    } catch (DateTimeParseException e) {
      return false;
    }
    Instant now = clock.instant();
    return !at.isBefore(now.minus(maxAge)) && !at.isAfter(now.plus(MAX_AHEAD));
  }

  private static boolean headerText(String value, boolean optional) {
    return value == null ? optional : HEADER_TEXT.matcher(value).matches();
  }

  private void reply(Context ctx, int status, String message) {
    try {
      ctx.status(status).result(json.writeValueAsString(Map.of("result", message)));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
