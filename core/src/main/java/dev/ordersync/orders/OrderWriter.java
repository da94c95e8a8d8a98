package dev.ordersync.orders;

import java.sql.SQLException;
import java.time.Instant;
import java.util.Collection;
import org.jdbi.v3.core.Handle;

/**
 * Writes versions of orders, at most one per order, in the caller's transaction: inserts the new
 * ones, replaces those whose stored version is older, leaves the rest (invariant 4).
 */
interface OrderWriter {
  OrderStore.Outcome write(
      Handle h, Collection<Order> orders, StorePath path, Instant now, OrderChanges changes)
      throws SQLException;
}
