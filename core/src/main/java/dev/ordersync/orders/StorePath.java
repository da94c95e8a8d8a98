package dev.ordersync.orders;

/** How an order version reached the store. */
public enum StorePath {
  /** The continuous, windowed import. */
  POLL,
  /** A Shopify webhook. */
  WEBHOOK,
  /** The frequent sweep that compares recent hours with Shopify. */
  SWEEP,
  /** The nightly or on-demand reconciliation. */
  RECONCILE,
  /** A backfill or a retry of a failed order. */
  BACKFILL
}
