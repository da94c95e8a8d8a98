package dev.ordersync.credentials;

import dev.ordersync.config.ShopDomain;
import dev.ordersync.db.Database;
import dev.ordersync.db.Times;
import java.time.Instant;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/**
 * The tokens order-sync obtained, per shop, shared by every process on the database. A renewal is
 * leased in a short transaction, done outside any (the request to Shopify holds no lock), and
 * stored before use; processes renewing at once wait for the lease holder's token instead of
 * spending (and rotating) the refresh token again.
 */
public final class TokenStore {
  /** A shop's row as stored (sealed values). */
  record Row(String accessToken, Instant accessExpiresAt, String refreshToken) {}

  private final Database db;

  public TokenStore(Database db) {
    this.db = db;
  }

  /** What {@link #begin} found: a usable token, a lease to renew it, or another's lease. */
  enum Begun {
    USABLE,
    LEASED,
    BUSY
  }

  record Start(Begun state, Row row) {}

  private record Leased(Row row, String by, Instant until) {}

  /**
   * In one short transaction under the row's lock: the stored row when {@code usable} says its
   * token will do; else a lease on the renewal for {@code claimant} until {@code until}, unless
   * another holds an unexpired one (BUSY: wait for its token). No network call happens inside.
   */
  Start begin(
      ShopDomain shop,
      String claimant,
      Instant now,
      Instant until,
      java.util.function.Predicate<Row> usable) {
    db.inTransaction(
        h ->
            h.createUpdate(
                    """
            MERGE INTO shop_tokens t USING (VALUES (CAST(:shop AS VARCHAR))) AS v(shop)
            ON t.shop = v.shop
            WHEN NOT MATCHED THEN INSERT (shop, updated_at)
              VALUES (v.shop, CAST(:now AS TIMESTAMP WITH TIME ZONE))
            """)
                .bind("shop", shop.value())
                .bind("now", now)
                .execute());
    return db.inTransaction(
        h -> {
          Leased r =
              h.createQuery(
                      "SELECT access_token, access_expires_at, refresh_token, renewing_by, "
                          + "renewing_until FROM shop_tokens WHERE shop = :shop FOR UPDATE")
                  .bind("shop", shop.value())
                  .map(
                      (rs, ctx) ->
                          new Leased(
                              new Row(rs.getString(1), Times.instant(rs, 2), rs.getString(3)),
                              rs.getString(4),
                              Times.instant(rs, 5)))
                  .one();
          if (usable.test(r.row())) {
            return new Start(Begun.USABLE, r.row());
          }
          if (r.by() != null && !r.by().equals(claimant) && now.isBefore(r.until())) {
            return new Start(Begun.BUSY, r.row());
          }
          Row row = r.row();
          h.createUpdate(
                  "UPDATE shop_tokens SET renewing_by = :claimant, renewing_until = :until "
                      + "WHERE shop = :shop")
              .bind("claimant", claimant)
              .bind("until", until)
              .bind("shop", shop.value())
              .execute();
          return new Start(Begun.LEASED, row);
        });
  }

  /**
   * Stores what a renewal obtained and ends the lease, before the token is used: the refresh token
   * that came with it is the only one that works from now on.
   */
  void finish(ShopDomain shop, String access, Instant expiresAt, String refresh, Instant now) {
    db.inTransaction(
        h -> {
          h.createUpdate(
                  "UPDATE shop_tokens SET access_token = :access, access_expires_at = :expires,"
                      + " refresh_token = COALESCE(:refresh, refresh_token), updated_at = :now, "
                      + "renewing_by = NULL, renewing_until = NULL WHERE shop = :shop")
              .bindByType("access", access, String.class)
              .bindByType("expires", expiresAt, Instant.class)
              .bindByType("refresh", refresh, String.class)
              .bind("now", now)
              .bind("shop", shop.value())
              .execute();
          return null;
        });
  }

  /**
   * Stores the pair an install obtained (sealed), replacing whatever the shop had: a reinstall's
   * refresh token is the only one that works from now on.
   */
  public void install(
      Handle h, ShopDomain shop, String access, Instant expiresAt, String refresh, Instant now) {
    h.createUpdate("DELETE FROM shop_tokens WHERE shop = :shop")
        .bind("shop", shop.value())
        .execute();
    h.createUpdate(
            "INSERT INTO shop_tokens (shop, access_token, access_expires_at, refresh_token, "
                + "updated_at) VALUES (:shop, :access, :expires, :refresh, :now)")
        .bind("shop", shop.value())
        .bindByType("access", access, String.class)
        .bindByType("expires", expiresAt, Instant.class)
        .bindByType("refresh", refresh, String.class)
        .bind("now", now)
        .execute();
  }

  /** Ends {@code claimant}'s lease without a new token (the renewal failed). */
  void abandon(ShopDomain shop, String claimant) {
    db.inTransaction(
        h ->
            h.createUpdate(
                    "UPDATE shop_tokens SET renewing_by = NULL, renewing_until = NULL "
                        + "WHERE shop = :shop AND renewing_by = :claimant")
                .bind("shop", shop.value())
                .bind("claimant", claimant)
                .execute());
  }

  /** Every stored token of every shop, sealed or not, to check or re-seal under another key. */
  public java.util.List<String> allValues() {
    return db.read(
        h ->
            h.createQuery(
                    "SELECT access_token FROM shop_tokens WHERE access_token IS NOT NULL "
                        + "UNION ALL SELECT refresh_token FROM shop_tokens "
                        + "WHERE refresh_token IS NOT NULL")
                .mapTo(String.class)
                .list());
  }

  /**
   * Re-seals every stored token: {@code from} opens it, {@code to} seals it again, in one
   * transaction; the number re-sealed. A value {@code from} cannot open is refused before anything
   * is written, unless {@code to} already opens it (a rotation run twice).
   */
  public int reseal(SecretBox from, SecretBox to) {
    return db.inTransaction(
        h -> {
          java.util.List<java.util.Map<String, Object>> rows =
              h.createQuery("SELECT shop, access_token, refresh_token FROM shop_tokens FOR UPDATE")
                  .mapToMap()
                  .list();
          int n = 0;
          for (java.util.Map<String, Object> r : rows) {
            String access =
                reseal((String) r.get("access_token"), from, to, (String) r.get("shop"));
            String refresh =
                reseal((String) r.get("refresh_token"), from, to, (String) r.get("shop"));
            h.createUpdate(
                    "UPDATE shop_tokens SET access_token = :access, refresh_token = :refresh "
                        + "WHERE shop = :shop")
                .bindByType("access", access, String.class)
                .bindByType("refresh", refresh, String.class)
                .bind("shop", (String) r.get("shop"))
                .execute();
            n += (access == null ? 0 : 1) + (refresh == null ? 0 : 1);
          }
          return n;
        });
  }

  private static String reseal(String stored, SecretBox from, SecretBox to, String shop) {
    if (stored == null) {
      return null;
    }
    String value = from.open(stored);
    if (value == null) {
      if (to.open(stored) != null) {
        return stored;
      }
      throw new dev.ordersync.config.ConfigException(
          "a token of "
              + shop
              + " cannot be opened with ORDER_SYNC_OLD_SECRET_KEY: give the key it was stored "
              + "with; nothing was changed");
    }
    return to.seal(value);
  }

  Optional<Row> read(ShopDomain shop) {
    return db.read(
        h ->
            h.createQuery(
                    "SELECT access_token, access_expires_at, refresh_token "
                        + "FROM shop_tokens WHERE shop = :shop")
                .bind("shop", shop.value())
                .map((rs, ctx) -> new Row(rs.getString(1), Times.instant(rs, 2), rs.getString(3)))
                .findOne());
  }
}
