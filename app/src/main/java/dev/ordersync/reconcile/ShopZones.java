package dev.ordersync.reconcile;

import static dev.ordersync.orders.OrderStore.odt;

import dev.ordersync.db.Database;
import dev.ordersync.shopify.ShopifyOrders;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Each shop's IANA time zone, which decides its calendar days: the configured one, else the one
 * Shopify gave ({@code shop { ianaTimezone }}), kept in the database so that a restart does not
 * need Shopify to know it.
 */
public final class ShopZones {
  private final Database db;
  private final Function<String, Optional<ZoneId>> configured;
  private final Function<String, ShopifyOrders> shops;
  private final Clock clock;
  private final Map<String, ZoneId> known = new ConcurrentHashMap<>();

  public ShopZones(Database db, Function<String, Optional<ZoneId>> configured,
      Function<String, ShopifyOrders> shops, Clock clock) {
    this.db = db;
    this.configured = configured;
    this.shops = shops;
    this.clock = clock;
  }

  /** The shop's zone, asking Shopify when nothing else knows it; throws when Shopify fails. */
  public ZoneId zoneOf(String shop) {
    return known(shop).orElseGet(() -> {
      ZoneId zone = ZoneId.of(shops.apply(shop).ianaTimezone());
      remember(shop, zone);
      return zone;
    });
  }

  /** The shop's zone when known without asking Shopify. */
  public Optional<ZoneId> known(String shop) {
    ZoneId zone = known.get(shop);
    if (zone != null) {
      return Optional.of(zone);
    }
    Optional<ZoneId> found = configured.apply(shop).or(() -> stored(shop));
    found.ifPresent(z -> known.put(shop, z));
    return found;
  }

  private Optional<ZoneId> stored(String shop) {
    String id = db.read(c -> {
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT iana_timezone FROM shops WHERE domain = ?")) {
        ps.setString(1, shop);
        try (ResultSet rs = ps.executeQuery()) {
          return rs.next() ? rs.getString(1) : null;
        }
      }
    });
    try {
      return id == null ? Optional.empty() : Optional.of(ZoneId.of(id));
    } catch (DateTimeException e) {
      return Optional.empty();
    }
  }

  /** Keeps a zone Shopify gave. */
  public void remember(String shop, ZoneId zone) {
    known.put(shop, zone);
    db.inTransaction(c -> {
      try (PreparedStatement up = c.prepareStatement("UPDATE shops SET iana_timezone = ?, "
          + "timezone_read_at = ? WHERE domain = ?")) {
        up.setString(1, zone.getId());
        up.setObject(2, odt(clock.instant()));
        up.setString(3, shop);
        if (up.executeUpdate() == 1) {
          return null;
        }
      }
      try (PreparedStatement ins = c.prepareStatement("INSERT INTO shops (domain, iana_timezone,"
          + " timezone_read_at) VALUES (?, ?, ?)")) {
        ins.setString(1, shop);
        ins.setString(2, zone.getId());
        ins.setObject(3, odt(clock.instant()));
        ins.executeUpdate();
      }
      return null;
    });
  }
}
