package dev.ordersync.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ordersync.config.ShopDomain;
import dev.ordersync.db.Database;
import dev.ordersync.orders.FailedOrders;
import dev.ordersync.orders.FetchedOrder;
import dev.ordersync.orders.OrderBatches;
import dev.ordersync.orders.StorePath;
import dev.ordersync.shopify.RestOrderMapper;
import dev.ordersync.shopify.ShopifyException;
import dev.ordersync.shopify.ShopifyOrders;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import org.jdbi.v3.core.Handle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns recorded deliveries into stored orders, from the durable record: a crash after the
 * acknowledgement leaves the delivery PENDING and the next run processes it. Each batch, its orders
 * and the deliveries' new status commit together, through the one batch store, so that one delivery
 * that cannot be stored goes to failed_orders and never holds up the others. Stale and reordered
 * deliveries are harmless: the store keeps the newest version.
 */
public final class WebhookProcessor {
  public static final Set<String> ORDER_TOPICS =
      Set.of(
          "orders/create",
          "orders/updated",
          "orders/cancelled",
          "orders/paid",
          "orders/fulfilled",
          "orders/partially_fulfilled");
  public static final String DELETE_TOPIC = "orders/delete";

  /** An edit notification: its body is an {@code order_edit}, not an order. */
  public static final String EDITED_TOPIC = "orders/edited";

  static final int BATCH = 200;

  /**
   * How long a claim on pending deliveries holds: a batch takes well under a second, and a killed
   * instance's batch waits no longer than this for the next.
   */
  static final Duration CLAIM = Duration.ofMinutes(1);

  /**
   * How long a claim on deletions awaiting confirmation holds: asking Shopify may take several
   * attempts of its request timeout.
   */
  static final Duration CONFIRM_CLAIM = Duration.ofMinutes(5);

  /** This processor's name on its claims. */
  private final String claimant = UUID.randomUUID().toString();

  private static final Logger log = LoggerFactory.getLogger(WebhookProcessor.class);
  private final Database db;
  private final WebhookInbox inbox;
  private final OrderBatches batches;
  private final Function<ShopDomain, ShopifyOrders> shops;
  private final WebhookStats stats;
  private final ComplianceDeliveries compliance;
  private final Clock clock;

  /**
   * @param shops each configured shop's API, by domain (null for a shop not configured): a deletion
   *     is applied only once Shopify confirms the order is gone
   */
  public WebhookProcessor(
      Database db,
      WebhookInbox inbox,
      OrderBatches batches,
      Function<ShopDomain, ShopifyOrders> shops,
      WebhookStats stats,
      ComplianceDeliveries compliance,
      Clock clock) {
    this.db = db;
    this.inbox = inbox;
    this.batches = batches;
    this.shops = shops;
    this.stats = stats;
    this.compliance = compliance;
    this.clock = clock;
  }

  public static boolean handles(String topic) {
    return ORDER_TOPICS.contains(topic)
        || DELETE_TOPIC.equals(topic)
        || EDITED_TOPIC.equals(topic)
        || ComplianceDeliveries.TOPICS.contains(topic);
  }

  /** Processes pending deliveries until none is left; returns how many it processed. */
  public int processPending() {
    int total = 0;
    while (true) {
      List<WebhookInbox.Delivery> batch =
          inbox.claimPending(claimant, clock.instant(), CLAIM, BATCH);
      if (batch.isEmpty()) {
        return total;
      }
      List<WebhookInbox.Delivery> orders = new ArrayList<>();
      for (WebhookInbox.Delivery d : batch) {
        if (!ComplianceDeliveries.TOPICS.contains(d.topic())) {
          orders.add(d);
          continue;
        }
        try {
          compliance.process(d, claimant);
          total++;
        } catch (WebhookInbox.ClaimTakenOver e) {
          log.info(
              "{}: a {} delivery was claimed by another instance meanwhile", d.shop(), d.topic());
        } catch (RuntimeException e) {
          // one delivery never stops the others: it stays pending, claimed for a minute
          log.warn(
              "{}: a {} delivery could not be processed (it is tried again): {}",
              d.shop(),
              d.topic(),
              e.getMessage());
        }
      }
      if (orders.isEmpty()) {
        continue;
      }
      batch = orders;
      try {
        process(batch);
        total += batch.size();
      } catch (WebhookInbox.ClaimTakenOver e) {
        log.info(
            "{} webhook deliveries were claimed by another instance while this one processed "
                + "them (the claim ran out); this one's processing of them was rolled back",
            batch.size());
      }
    }
  }

  private void process(List<WebhookInbox.Delivery> batch) {
    List<FetchedOrder> orders = new ArrayList<>();
    Map<WebhookInbox.Delivery, Action> actions = new LinkedHashMap<>();
    for (WebhookInbox.Delivery d : batch) {
      Action a = read(d);
      actions.put(d, a);
      if (a.order() != null) {
        orders.add(a.order());
      }
    }
    batches.store(
        orders,
        StorePath.WEBHOOK,
        (h, stored, now) -> {
          Map<String, String> failed = new LinkedHashMap<>();
          for (FetchedOrder f : stored.failed()) {
            failed.put(f.shop() + "\n" + FailedOrders.keyOf(f), f.error());
          }
          for (Map.Entry<WebhookInbox.Delivery, Action> e : actions.entrySet()) {
            finish(h, e.getKey(), e.getValue(), failed, now);
          }
        });
  }

  private void finish(
      Handle h, WebhookInbox.Delivery d, Action a, Map<String, String> failed, Instant now) {
    if (a.deleteId() != null) {
      inbox.finish(h, d, claimant, DeliveryStatus.CONFIRMING, null, now); // see confirmDeletions
    } else if (a.order() != null) {
      String error = failed.get(d.shop() + "\n" + FailedOrders.keyOf(a.order()));
      inbox.finish(
          h,
          d,
          claimant,
          error == null ? DeliveryStatus.PROCESSED : DeliveryStatus.FAILED,
          error,
          now);
    } else {
      inbox.finish(h, d, claimant, a.status(), a.note(), now);
    }
  }

  /**
   * Applies the recorded deletions whose orders Shopify, asked by id, no longer has; a deletion of
   * an order Shopify still has (a replayed or forged delivery) is recorded and ignored. When
   * Shopify cannot be asked, the deletions wait for the next round. Returns how many it settled.
   */
  public int confirmDeletions() {
    List<WebhookInbox.Delivery> waiting =
        inbox.claimAwaitingConfirmation(claimant, clock.instant(), CONFIRM_CLAIM, 250);
    Map<String, List<WebhookInbox.Delivery>> byShop = new LinkedHashMap<>();
    for (WebhookInbox.Delivery d : waiting) {
      byShop.computeIfAbsent(d.shop(), k -> new ArrayList<>()).add(d);
    }
    int settled = 0;
    for (Map.Entry<String, List<WebhookInbox.Delivery>> e : byShop.entrySet()) {
      ShopifyOrders api = shops.apply(ShopDomain.of(e.getKey()));
      Set<String> stillThere;
      if (api == null) {
        stillThere = null;
      } else {
        try {
          stillThere =
              api.existing(e.getValue().stream().map(this::deletedGid).distinct().toList());
        } catch (ShopifyException ex) {
          log.warn(
              "{}: cannot confirm {} deletion(s) with Shopify yet (they wait): {}",
              e.getKey(),
              e.getValue().size(),
              ex.detail());
          inbox.release(e.getValue(), claimant);
          continue;
        }
      }
      try {
        settle(e.getValue(), stillThere);
        settled += e.getValue().size();
      } catch (WebhookInbox.ClaimTakenOver taken) {
        log.info(
            "{}: {} deletion(s) were claimed by another instance while this one confirmed them; "
                + "this one's outcome was rolled back",
            e.getKey(),
            e.getValue().size());
      }
    }
    return settled;
  }

  /** Applies the deletions Shopify confirmed ({@code stillThere} null: shop not configured). */
  private void settle(List<WebhookInbox.Delivery> deliveries, Set<String> stillThere) {
    db.inTransaction(
        h -> {
          Instant now = clock.instant();
          List<OrderBatches.Deletion> confirmed = new ArrayList<>();
          for (WebhookInbox.Delivery d : deliveries) {
            String gid = deletedGid(d);
            if (stillThere == null) {
              inbox.finish(
                  h,
                  d,
                  claimant,
                  DeliveryStatus.IGNORED,
                  "the shop is not configured any more",
                  now);
            } else if (stillThere.contains(gid)) {
              stats.count(d.shop(), WebhookStats.Outcome.IGNORED_UNCONFIRMED_DELETE);
              log.warn(
                  "{}: a deletion of {} was not applied: Shopify still has the order",
                  d.shop(),
                  gid);
              inbox.finish(
                  h,
                  d,
                  claimant,
                  DeliveryStatus.IGNORED,
                  "Shopify still has this order; the deletion was not applied",
                  now);
            } else {
              confirmed.add(new OrderBatches.Deletion(d.shop(), gid));
              inbox.finish(h, d, claimant, DeliveryStatus.PROCESSED, null, now);
            }
          }
          batches.markDeleted(h, confirmed, now);
          return null;
        });
  }

  private String deletedGid(WebhookInbox.Delivery d) {
    return WebhookBodies.parse(d.body()).map(RestOrderMapper::orderGid).orElseThrow();
  }

  /** What one delivery asks for: an order to store, a deletion, or only a status and a note. */
  private record Action(FetchedOrder order, String deleteId, DeliveryStatus status, String note) {}

  private Action read(WebhookInbox.Delivery d) {
    JsonNode body = WebhookBodies.parse(d.body()).orElse(null);
    if (body == null) {
      return new Action(
          FetchedOrder.unmapped(d.shop(), null, null, d.body(), "the body is not a JSON object"),
          null,
          null,
          null);
    }
    if (!WebhookBodies.fits(d.topic(), body)) {
      // authentic (signed) but not what its topic says: kept under its GID, so that the retry
      // fetches the order from Shopify; never applied as a deletion or stored as an order
      String gid = RestOrderMapper.orderGid(body);
      String name = body.path("name").isTextual() ? body.path("name").asText() : null;
      return new Action(
          FetchedOrder.unmapped(
              d.shop(), gid, name, d.body(), "the body does not fit the topic " + d.topic()),
          null,
          null,
          null);
    }
    if (d.topic().equals(DELETE_TOPIC)) {
      return new Action(null, RestOrderMapper.orderGid(body), null, null);
    }
    if (d.topic().equals(EDITED_TOPIC)) {
      // the edit also moves the order's updatedAt: the next pass reads the edited order
      return new Action(
          null,
          null,
          DeliveryStatus.PROCESSED,
          "edit notification; the order is read again " + "by the poll");
    }
    return new Action(
        RestOrderMapper.fetched(ShopDomain.of(d.shop()), body, d.body()), null, null, null);
  }
}
