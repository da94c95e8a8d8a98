package dev.ordersync.shops;

import dev.ordersync.db.Database;
import java.time.Instant;
import java.util.List;
import org.jdbi.v3.core.mapper.reflect.ConstructorMapper;

/**
 * The {@code customers/data_request}s Shopify delivered: which customer and orders, when. The data
 * itself is exported on demand ({@code orders export --shop D --customer ID}), never kept here.
 */
public final class DataRequests {
  /** One request as recorded. */
  public record Request(
      String shop,
      String requestId,
      String customerId,
      String ordersRequested,
      Instant receivedAt) {}

  private final Database db;

  public DataRequests(Database db) {
    this.db = db;
  }

  public List<Request> all() {
    return db.read(
        h ->
            h.createQuery(
                    "SELECT shop, request_id, customer_id, orders_requested, received_at "
                        + "FROM data_requests ORDER BY received_at, shop, request_id")
                .map(ConstructorMapper.of(Request.class))
                .list());
  }
}
