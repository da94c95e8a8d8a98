package dev.ordersync.dashboard;

import java.util.Locale;
import java.util.Optional;

/** What became of one failed order retried from the dashboard. */
enum RetryOutcome {
  STORED(true, "stored"),
  FAILED_AGAIN(false, "failed again; its error is in the list of failed orders"),
  NOT_AT_SHOPIFY(false, "Shopify does not have this order (deleted, or not an order of this shop)"),
  NO_ORDER_ID(
      false,
      "has no order id, so it cannot be fetched; its payload is in `order-sync orders failed --json`"),
  NOT_OPEN(false, "is not an open failed order of this shop (stored since?)"),
  SHOPIFY_UNREACHABLE(
      false,
      "Shopify did not answer; the order stays failed and the sync retries it; try again later");

  private final boolean good;
  private final String text;

  RetryOutcome(boolean good, String text) {
    this.good = good;
    this.text = text;
  }

  boolean good() {
    return good;
  }

  String text() {
    return text;
  }

  /** Its name in a URL: {@code stored}, {@code failed-again}, ... */
  String slug() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  static Optional<RetryOutcome> ofSlug(String slug) {
    for (RetryOutcome o : values()) {
      if (o.slug().equals(slug)) {
        return Optional.of(o);
      }
    }
    return Optional.empty();
  }
}
