package dev.ordersync.webhook;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ordersync.db.DatabaseException;
import dev.ordersync.shopify.Secret;
import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Map;

/**
 * {@code POST /webhooks/shopify}: verifies the signature over the raw body, records the delivery
 * durably (keyed by {@code X-Shopify-Webhook-Id}, so a duplicate is acknowledged and ignored) and
 * answers 200 only then. Processing happens later, from the record, so the answer never waits
 * for Shopify's API or the order store's locks.
 */
public final class WebhookIntake {
  /** Order payloads are far smaller; anything this big is not a Shopify order webhook. */
  public static final int MAX_BODY_BYTES = 2 * 1024 * 1024;

  private final Map<String, List<Secret>> secretsByShop;
  private final WebhookInbox inbox;
  private final Clock clock;
  private final Runnable wakeProcessor;
  private final ObjectMapper json = new ObjectMapper();

  public WebhookIntake(Map<String, List<Secret>> secretsByShop, WebhookInbox inbox, Clock clock,
      Runnable wakeProcessor) {
    this.secretsByShop = Map.copyOf(secretsByShop);
    this.inbox = inbox;
    this.clock = clock;
    this.wakeProcessor = wakeProcessor;
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
    List<Secret> secrets = shop == null ? null : secretsByShop.get(shop);
    if (secrets == null || secrets.isEmpty()) {
      inbox.countRejected(shop == null ? "(no shop header)" : shop, clock.instant());
      reply(ctx, 401, shop == null ? "X-Shopify-Shop-Domain is missing"
          : "no webhook secret is configured for shop " + shop);
      return;
    }
    if (!WebhookVerifier.verify(raw, ctx.header("X-Shopify-Hmac-Sha256"), secrets)) {
      inbox.countRejected(shop, clock.instant());
      reply(ctx, 401, "the X-Shopify-Hmac-Sha256 signature does not match the body");
      return;
    }
    String topic = ctx.header("X-Shopify-Topic");
    String webhookId = ctx.header("X-Shopify-Webhook-Id");
    if (topic == null || webhookId == null || webhookId.isBlank()) {
      inbox.countRejected(shop, clock.instant());
      reply(ctx, 400, "X-Shopify-Topic and X-Shopify-Webhook-Id are required");
      return;
    }
    String body = new String(raw, StandardCharsets.UTF_8);
    try {
      JsonNode parsed = json.readTree(body);
      if (parsed == null || !parsed.isObject()) {
        throw new IllegalArgumentException("not a JSON object");
      }
    } catch (JsonProcessingException | IllegalArgumentException e) {
      inbox.countRejected(shop, clock.instant());
      reply(ctx, 400, "the body is not a JSON object");
      return;
    }
    boolean handled = WebhookProcessor.handles(topic);
    boolean fresh;
    try {
      fresh = inbox.record(new WebhookInbox.Delivery(shop, webhookId, topic,
          ctx.header("X-Shopify-Event-Id"), ctx.header("X-Shopify-API-Version"),
          ctx.header("X-Shopify-Triggered-At"), clock.instant(), body,
          handled ? "PENDING" : "IGNORED", 0));
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

  private void reply(Context ctx, int status, String message) {
    ctx.status(status).result("{\"result\":\"" + message.replace("\"", "'") + "\"}");
  }
}
