package dev.ordersync.install;

import dev.ordersync.config.ShopDomain;
import dev.ordersync.db.Database;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;

/**
 * The state nonce of each install begun: kept in the database (any instance can finish the
 * install), bound to its shop, single use, valid {@link #VALID} minutes.
 */
public final class InstallStates {
  static final Duration VALID = Duration.ofMinutes(10);

  private final Database db;
  private final SecureRandom random = new SecureRandom();

  public InstallStates(Database db) {
    this.db = db;
  }

  /** A new nonce for an install of {@code shop}; the expired ones are forgotten meanwhile. */
  String issue(ShopDomain shop, Instant now) {
    byte[] b = new byte[24];
    random.nextBytes(b);
    String nonce = HexFormat.of().formatHex(b);
    db.inTransaction(
        h -> {
          h.createUpdate("DELETE FROM install_states WHERE expires_at < :old")
              .bind("old", now.minus(Duration.ofDays(1)))
              .execute();
          return h.createUpdate(
                  "INSERT INTO install_states (nonce, shop, issued_at, expires_at) "
                      + "VALUES (:nonce, :shop, :now, :expires)")
              .bind("nonce", nonce)
              .bind("shop", shop.value())
              .bind("now", now)
              .bind("expires", now.plus(VALID))
              .execute();
        });
    return nonce;
  }

  /**
   * Uses the nonce for {@code shop}: true once, when it was issued for that shop and has neither
   * expired nor been used.
   */
  boolean use(String nonce, ShopDomain shop, Instant now) {
    if (nonce == null || nonce.isEmpty() || nonce.length() > 64) {
      return false;
    }
    return db.inTransaction(
            h ->
                h.createUpdate(
                        "UPDATE install_states SET used_at = :now WHERE nonce = :nonce AND shop "
                            + "= :shop AND used_at IS NULL AND expires_at > :now")
                    .bind("now", now)
                    .bind("nonce", nonce)
                    .bind("shop", shop.value())
                    .execute())
        == 1;
  }
}
