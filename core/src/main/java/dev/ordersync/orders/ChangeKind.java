package dev.ordersync.orders;

import java.util.Locale;

/** What happened to a stored order: new, a newer version, deleted in Shopify. */
public enum ChangeKind {
  CREATED,
  UPDATED,
  DELETED;

  /** The word the feed uses: created, updated, deleted. */
  public String word() {
    return name().toLowerCase(Locale.ROOT);
  }
}
