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
    /** An order topic of a shop that uninstalled the app: acknowledged, nothing stored. */
    IGNORED_NOT_INSTALLED,
    /** A deletion Shopify does not confirm (the order is still there): recorded, not applied. */
    IGNORED_UNCONFIRMED_DELETE;

    /** What an operator reads about a refusal of this kind, and what to do. */
    public String why() {
      return switch (this) {
        case REJECTED_SIGNATURE ->
            "bad signature or no secret for the shop: the webhook secret does not match the "
                + "app's (webhookSecrets, or the app's client secret)";
        case REJECTED_MALFORMED -> "malformed headers or body";
        case REJECTED_SHOP_MISMATCH -> "the signed body names another shop: a replay";
        default -> name().toLowerCase(java.util.Locale.ROOT);
      };
    }

    /** A refusal (not acknowledged), kept in the store per shop and reason. */
    public boolean refused() {
      return name().startsWith("REJECTED_");
    }
  }

  private final java.util.function.Predicate<String> known;
  private final Map<String, AtomicLong> counts = new ConcurrentHashMap<>();
  private final Map<String, AtomicLong> unsaved = new ConcurrentHashMap<>();

  public WebhookStats(Collection<String> shops) {
    this(Set.copyOf(shops)::contains);
  }

  /**
   * @param known whether a shop is served: the others are counted as {@link #UNKNOWN_SHOP}, so that
   *     forged headers cannot make a label each
   */
  public WebhookStats(java.util.function.Predicate<String> known) {
    this.known = known;
  }

  public void count(String shop, Outcome outcome) {
    counts
        .computeIfAbsent(label(shop) + "\n" + outcome.name(), k -> new AtomicLong())
        .incrementAndGet();
    if (outcome.refused()) {
      unsaved
          .computeIfAbsent(label(shop) + "\n" + outcome.name(), k -> new AtomicLong())
          .incrementAndGet();
    }
  }

  /** Refusals counted since the last call, by shop label and reason, to be added to the store. */
  public Map<String, Map<Outcome, Long>> takeRefusals() {
    Map<String, Map<Outcome, Long>> out = new java.util.LinkedHashMap<>();
    for (Map.Entry<String, AtomicLong> e : unsaved.entrySet()) {
      long n = e.getValue().getAndSet(0);
      if (n > 0) {
        String[] key = e.getKey().split("\n", 2);
        out.computeIfAbsent(key[0], k -> new java.util.EnumMap<>(Outcome.class))
            .put(Outcome.valueOf(key[1]), n);
      }
    }
    return out;
  }

  /** Refusals taken that could not be stored: counted again for the next time. */
  public void giveBack(Map<String, Map<Outcome, Long>> refusals) {
    refusals.forEach(
        (shop, byReason) ->
            byReason.forEach(
                (reason, n) ->
                    unsaved
                        .computeIfAbsent(shop + "\n" + reason.name(), k -> new AtomicLong())
                        .addAndGet(n)));
  }

  /** Starts from the refusals the store kept (a restart does not reset /metrics' counters). */
  public void restore(Map<String, Map<Outcome, Long>> kept) {
    kept.forEach(
        (shop, byReason) ->
            byReason.forEach(
                (reason, n) ->
                    counts
                        .computeIfAbsent(shop + "\n" + reason.name(), k -> new AtomicLong())
                        .addAndGet(n)));
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
    return shop != null && known.test(shop) ? shop : UNKNOWN_SHOP;
  }
}
