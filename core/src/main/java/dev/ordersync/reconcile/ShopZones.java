package dev.ordersync.reconcile;

import dev.ordersync.config.ShopDomain;
import dev.ordersync.db.Database;
import dev.ordersync.shopify.ShopAdmin;
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
  private final Function<ShopDomain, Optional<ZoneId>> configured;
  private final Function<ShopDomain, ShopAdmin> shops;
  private final Clock clock;
  private final Map<ShopDomain, ZoneId> known = new ConcurrentHashMap<>();

  public ShopZones(
      Database db,
      Function<ShopDomain, Optional<ZoneId>> configured,
      Function<ShopDomain, ShopAdmin> shops,
      Clock clock) {
    this.db = db;
    this.configured = configured;
    this.shops = shops;
    this.clock = clock;
  }

  /** The shop's zone, asking Shopify when nothing else knows it; throws when Shopify fails. */
  public ZoneId zoneOf(ShopDomain shop) {
    return known(shop)
        .orElseGet(
            () -> {
              ZoneId zone = ZoneId.of(shops.apply(shop).ianaTimezone());
              remember(shop, zone);
              return zone;
            });
  }

  /** The shop's zone when known without asking Shopify. */
  public Optional<ZoneId> known(ShopDomain shop) {
    ZoneId zone = known.get(shop);
    if (zone != null) {
      return Optional.of(zone);
    }
    Optional<ZoneId> found = configured.apply(shop).or(() -> stored(shop));
    found.ifPresent(z -> known.put(shop, z));
    return found;
  }

  private Optional<ZoneId> stored(ShopDomain shop) {
    Optional<String> id =
        db.read(
            h ->
                h.createQuery(
                        "SELECT iana_timezone FROM shops "
                            + "WHERE domain = :shop AND iana_timezone IS NOT NULL")
                    .bind("shop", shop.value())
                    .mapTo(String.class)
                    .findOne());
    try {
      return id.map(ZoneId::of);
    } catch (DateTimeException e) {
      return Optional.empty();
    }
  }

  /** Keeps a zone Shopify gave. */
  public void remember(ShopDomain shop, ZoneId zone) {
    known.put(shop, zone);
    db.inTransaction(
        h ->
            h.createUpdate(
                    """
            MERGE INTO shops t USING (VALUES (CAST(:shop AS VARCHAR))) AS v(domain)
            ON t.domain = v.domain
            WHEN MATCHED THEN UPDATE SET iana_timezone = CAST(:zone AS VARCHAR),
              timezone_read_at = CAST(:now AS TIMESTAMP WITH TIME ZONE)
            WHEN NOT MATCHED THEN INSERT (domain, iana_timezone, timezone_read_at)
              VALUES (v.domain, CAST(:zone AS VARCHAR), CAST(:now AS TIMESTAMP WITH TIME ZONE))
            """)
                .bind("shop", shop.value())
                .bind("zone", zone.getId())
                .bind("now", clock.instant())
                .execute());
  }
}
