package dev.ordersync.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ordersync.config.ShopDomain;
import dev.ordersync.db.Database;
import dev.ordersync.orders.Redactions;
import dev.ordersync.shops.ShopStates;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.jdbi.v3.core.Handle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Shopify's mandatory compliance topics and the uninstall, from the recorded deliveries, each in a
 * transaction of its own with the delivery's outcome: {@code customers/redact} erases the
 * customer's personal data, {@code shop/redact} deletes every row of the shop, {@code
 * customers/data_request} is recorded for {@code shops data-requests}, {@code app/uninstalled}
 * stops the shop (no further call to Shopify) and forgets its tokens. Logs name the shop and ids,
 * never the customer's data.
 */
public final class ComplianceDeliveries {
  static final String CUSTOMERS_REDACT = "customers/redact";
  static final String SHOP_REDACT = "shop/redact";
  static final String DATA_REQUEST = "customers/data_request";
  static final String UNINSTALLED = "app/uninstalled";
  static final Set<String> TOPICS =
      Set.of(CUSTOMERS_REDACT, SHOP_REDACT, DATA_REQUEST, UNINSTALLED);

  private static final Logger log = LoggerFactory.getLogger(ComplianceDeliveries.class);
  private final Database db;
  private final WebhookInbox inbox;
  private final Redactions redactions;
  private final ShopStates states;
  private final Clock clock;

  public ComplianceDeliveries(
      Database db, WebhookInbox inbox, Redactions redactions, ShopStates states, Clock clock) {
    this.db = db;
    this.inbox = inbox;
    this.redactions = redactions;
    this.states = states;
    this.clock = clock;
  }

  /** Whether the body holds what its topic needs (a signed body is checked against its topic). */
  static boolean fits(String topic, JsonNode body) {
    return switch (topic) {
      case CUSTOMERS_REDACT -> body.path("customer").isObject() || body.has("orders_to_redact");
      case DATA_REQUEST -> body.path("data_request").isObject();
      case SHOP_REDACT -> body.has("shop_domain") || body.has("shop_id");
      case UNINSTALLED -> body.has("id") || body.has("myshopify_domain") || body.has("domain");
      default -> true;
    };
  }

  /** Processes one claimed delivery of these topics; its outcome commits with its effect. */
  void process(WebhookInbox.Delivery d, String claimant) {
    JsonNode body = WebhookBodies.parse(d.body()).orElse(null);
    db.inTransaction(
        h -> {
          Instant now = clock.instant();
          if (body == null || !fits(d.topic(), body)) {
            inbox.finish(
                h, d, claimant, DeliveryStatus.FAILED, "the body does not fit " + d.topic(), now);
            return null;
          }
          switch (d.topic()) {
            case CUSTOMERS_REDACT -> redactCustomer(h, d, body, claimant, now);
            case SHOP_REDACT -> {
              inbox.finish(h, d, claimant, DeliveryStatus.PROCESSED, null, now);
              redactions.redactShop(h, d.shop(), now); // its deliveries too, this one included
              log.info("{}: shop/redact: every row of the shop was deleted", d.shop());
            }
            case DATA_REQUEST -> {
              recordDataRequest(h, d.shop(), body, now);
              inbox.finish(h, d, claimant, DeliveryStatus.PROCESSED, null, now);
            }
            case UNINSTALLED -> {
              states.set(h, ShopDomain.of(d.shop()), ShopStates.State.UNINSTALLED, now);
              h.createUpdate("DELETE FROM shop_tokens WHERE shop = :shop")
                  .bind("shop", d.shop())
                  .execute();
              inbox.finish(h, d, claimant, DeliveryStatus.PROCESSED, null, now);
              log.warn(
                  "{}: the app was uninstalled: the shop's jobs stop calling Shopify, its tokens "
                      + "are forgotten, its orders stay (`order-sync shops resume` after a new "
                      + "install)",
                  d.shop());
            }
            default -> throw new IllegalStateException("not a compliance topic: " + d.topic());
          }
          return null;
        });
  }

  private void redactCustomer(
      Handle h, WebhookInbox.Delivery d, JsonNode body, String claimant, Instant now)
      throws SQLException {
    JsonNode customer = body.path("customer");
    long id = customer.path("id").asLong(0);
    List<String> orders = new ArrayList<>();
    body.path("orders_to_redact")
        .forEach(
            o -> {
              if (o.canConvertToLong() && o.asLong() > 0) {
                orders.add("gid://shopify/Order/" + o.asLong());
              }
            });
    // finished first: the request itself holds the customer's email and phone, and is redacted
    // with the rest
    inbox.finish(h, d, claimant, DeliveryStatus.PROCESSED, null, now);
    int changed =
        redactions.redactCustomer(
            h,
            new Redactions.Customer(
                d.shop(),
                id > 0 ? "gid://shopify/Customer/" + id : null,
                text(customer.path("email")),
                text(customer.path("phone")),
                orders),
            now);
    log.info(
        "{}: customers/redact of customer {}: {} stored order(s) redacted",
        d.shop(),
        id > 0 ? id : "(no id)",
        changed);
  }

  private static void recordDataRequest(Handle h, String shop, JsonNode body, Instant now) {
    String request = body.path("data_request").path("id").asText("");
    long customer = body.path("customer").path("id").asLong(0);
    List<String> orders = new ArrayList<>();
    body.path("orders_requested").forEach(o -> orders.add("gid://shopify/Order/" + o.asLong()));
    h.createUpdate(
            "INSERT INTO data_requests (shop, request_id, customer_id, orders_requested, "
                + "received_at) SELECT :shop, :request, :customer, :orders, :now WHERE NOT EXISTS "
                + "(SELECT 1 FROM data_requests WHERE shop = :shop AND request_id = :request)")
        .bind("shop", shop)
        .bind("request", request)
        .bindByType(
            "customer", customer > 0 ? "gid://shopify/Customer/" + customer : null, String.class)
        .bind("orders", String.join(",", orders))
        .bind("now", now)
        .execute();
  }

  private static String text(JsonNode n) {
    return n.isTextual() && !n.asText().isBlank() ? n.asText() : null;
  }
}
