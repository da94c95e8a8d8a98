package dev.ordersync.sync;

/**
 * The instants inside a pass where a crash matters. Production passes {@link #NONE}; tests make
 * {@link #reached} throw to kill the pass there, then start a new one over the same database.
 */
@FunctionalInterface
public interface CrashPoints {
  enum Step {
    /** A page has come back from Shopify; nothing of it is stored yet. */
    PAGE_FETCHED,
    /** The page's orders are written, inside the transaction, not yet committed. */
    PAGE_STORED,
    /** The watermark is written too, inside the same transaction, not yet committed. */
    WATERMARK_WRITTEN,
    /** The transaction has committed. */
    COMMITTED
  }

  CrashPoints NONE = step -> {};

  void reached(Step step);
}
