package dev.ordersync.orders;

import java.time.Instant;

/**
 * An order as it arrived, by Shopify's API or by a webhook: mapped, or kept raw with the reason it
 * could not be. {@code id} is the order's GID when known, null when the payload names none; {@code
 * refusedVersion} the updatedAt of a mapped order the database refused (null otherwise).
 */
public record FetchedOrder(
    String shop,
    String id,
    String name,
    Order order,
    String raw,
    String error,
    Instant refusedVersion) {

  public static FetchedOrder mapped(Order order) {
    return new FetchedOrder(order.shop(), order.id(), order.name(), order, null, null, null);
  }

  public static FetchedOrder unmapped(
      String shop, String id, String name, String raw, String error) {
    return new FetchedOrder(shop, id, name, null, raw, error, null);
  }

  public boolean ok() {
    return order != null;
  }

  /** This order, refused by the database: kept with its payload, its version and the reason. */
  FetchedOrder refused(String reason) {
    return new FetchedOrder(shop, id, name, null, order.rawPayload(), reason, order.updatedAt());
  }
}
