package dev.ordersync.webhook;

/** Where a recorded delivery stands. */
public enum DeliveryStatus {
  /** Recorded, not processed yet. */
  PENDING,
  /** A deletion waiting for Shopify to confirm that the order is gone. */
  CONFIRMING,
  /** Stored (or, for a deletion, applied). */
  PROCESSED,
  /** Its order could not be mapped or stored: it is in failed_orders. */
  FAILED,
  /** Nothing to do: a topic order-sync does not handle, or a deletion Shopify did not confirm. */
  IGNORED
}
