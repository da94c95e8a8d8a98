package dev.ordersync.shops;

import dev.ordersync.config.ShopDomain;
import dev.ordersync.db.Database;
import dev.ordersync.db.Times;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.StatementContext;

/**
 * The shops merchants installed through {@code /shopify/callback}: rows of {@code shops} with an
 * {@code installed_at}, served by every instance and kept across restarts. A shop that is also in
 * the configuration file is the configuration's.
 */
public final class InstalledShops {
  /** An installed shop as recorded; {@code scopes} comma-separated as Shopify granted them. */
  public record Installed(
      String shop, ShopStates.State state, Instant installedAt, String scopes) {}

  /** How long a lookup by the webhook intake is believed (it runs for every delivery). */
  private static final long FRESH_NANOS = 5_000_000_000L;

  /** How long a shop not found stays not found for the intake (forged headers, in bulk). */
  private static final long ABSENT_NANOS = 1_000_000_000L;

  /** A lookup: {@code installed} null when the shop was not found. */
  private record Seen(Installed installed, long at) {}

  private final Database db;
  private final Map<ShopDomain, Seen> seen = new ConcurrentHashMap<>();

  public InstalledShops(Database db) {
    this.db = db;
  }

  /** Records an install (a new one, or a reinstall): active, with the scopes granted. */
  public void record(Handle h, ShopDomain shop, String scopes, Instant now) {
    int updated =
        h.createUpdate(
                "UPDATE shops SET installed_at = :now, scopes = :scopes, status = 'ACTIVE', "
                    + "status_changed_at = :now WHERE domain = :shop")
            .bind("now", now)
            .bind("scopes", scopes)
            .bind("shop", shop.value())
            .execute();
    if (updated == 0) {
      h.createUpdate(
              "INSERT INTO shops (domain, installed_at, scopes, status, status_changed_at) "
                  + "VALUES (:shop, :now, :scopes, 'ACTIVE', :now)")
          .bind("now", now)
          .bind("scopes", scopes)
          .bind("shop", shop.value())
          .execute();
    }
    seen.remove(shop);
  }

  /** Every installed shop not removed, by domain. */
  public List<Installed> all() {
    return db.read(
        h ->
            h.createQuery(
                    "SELECT domain, status, installed_at, scopes FROM shops WHERE installed_at IS "
                        + "NOT NULL AND (status IS NULL OR status <> 'REMOVED') ORDER BY domain")
                .map(InstalledShops::installed)
                .list());
  }

  /** The shop as recorded now (removed ones too). */
  public Optional<Installed> find(ShopDomain shop) {
    Optional<Installed> found =
        db.read(
            h ->
                h.createQuery(
                        "SELECT domain, status, installed_at, scopes FROM shops WHERE domain = "
                            + ":shop AND installed_at IS NOT NULL")
                    .bind("shop", shop.value())
                    .map(InstalledShops::installed)
                    .findOne());
    seen.put(shop, new Seen(found.orElse(null), System.nanoTime()));
    return found;
  }

  /**
   * {@link #find}, believed for a few seconds: for the webhook intake, which asks for every
   * delivery. A shop not found is looked up again a second later (a shop installed on another
   * instance a moment ago is found then); an install here is seen at once.
   */
  public Optional<Installed> recent(ShopDomain shop) {
    Seen s = seen.get(shop);
    long age = s == null ? Long.MAX_VALUE : System.nanoTime() - s.at();
    if (s != null && age < (s.installed() == null ? ABSENT_NANOS : FRESH_NANOS)) {
      return Optional.ofNullable(s.installed());
    }
    if (seen.size() > 10_000) {
      seen.clear(); // forged domains must not grow it without end
    }
    return find(shop);
  }

  /** A row of {@code SELECT domain, status, installed_at, scopes}. */
  private static Installed installed(java.sql.ResultSet rs, StatementContext ctx)
      throws java.sql.SQLException {
    return new Installed(
        rs.getString(1), state(rs.getString(2)), Times.instant(rs, 3), rs.getString(4));
  }

  private static ShopStates.State state(String stored) {
    return stored == null ? ShopStates.State.ACTIVE : ShopStates.State.valueOf(stored);
  }
}
