package dev.ordersync.webhook;

import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the intake turned away or ignored, counted in memory: an unsigned request must never write
 * to the database, and its headers must never become a label (the shop label is a configured shop
 * or "unknown", so the set of series stays bounded).
 */
public final class WebhookStats {
  public static final String UNKNOWN_SHOP = "unknown";

  /** Why a delivery was refused (not acknowledged) or acknowledged and ignored. */
  public enum Outcome {
    /** The signature does not match, or no secret is known for the shop. */
    REJECTED_SIGNATURE,
    /** Headers missing, malformed or too long; a body that is not strict JSON. */
    REJECTED_MALFORMED,
    /** A signed body that names another shop than X-Shopify-Shop-Domain: a replay elsewhere. */
    REJECTED_SHOP_MISMATCH,
    /**
     * A signed body that does not fit its topic (e.g. an order's body sent as a deletion):
     * acknowledged, kept in failed_orders, never applied as the topic says.
     */
    KEPT_TOPIC_MISMATCH,
    /** X-Shopify-Triggered-At missing or older than the allowed age: acknowledged, ignored. */
    IGNORED_STALE,
    /** A deletion Shopify does not confirm (the order is still there): recorded, not applied. */
    IGNORED_UNCONFIRMED_DELETE
  }

  private final Set<String> shops;
  private final Map<String, AtomicLong> counts = new ConcurrentHashMap<>();

  public WebhookStats(Collection<String> shops) {
    this.shops = Set.copyOf(shops);
  }

  public void count(String shop, Outcome outcome) {
    counts
        .computeIfAbsent(label(shop) + "\n" + outcome.name(), k -> new AtomicLong())
        .incrementAndGet();
  }

  public long total(String shop, Outcome outcome) {
    AtomicLong n = counts.get(label(shop) + "\n" + outcome.name());
    return n == null ? 0 : n.get();
  }

  /** Every refusal of a shop, whatever the reason. */
  public long rejected(String shop) {
    return total(shop, Outcome.REJECTED_SIGNATURE)
        + total(shop, Outcome.REJECTED_MALFORMED)
        + total(shop, Outcome.REJECTED_SHOP_MISMATCH);
  }

  public String label(String shop) {
    return shop != null && shops.contains(shop) ? shop : UNKNOWN_SHOP;
  }
}
