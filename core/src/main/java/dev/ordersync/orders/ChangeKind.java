package dev.ordersync.orders;

import java.util.Locale;

/**
 * What happened to a stored order: new, a newer version, deleted in Shopify, its customer's
 * personal data erased ({@code customers/redact}); or to a whole shop: every row of it deleted
 * ({@code shop/redact}; the change names no order).
 */
public enum ChangeKind {
  CREATED,
  UPDATED,
  DELETED,
  REDACTED,
  SHOP_REDACTED;

  /** The word the feed uses: created, updated, deleted, redacted, shop-redacted. */
  public String word() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }
}
