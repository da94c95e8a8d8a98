package dev.ordersync.credentials;

import dev.ordersync.db.Database;
import dev.ordersync.db.Times;
import java.time.Instant;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/**
 * The tokens order-sync obtained, per shop, shared by every process on the database: read and
 * written under a row lock, so that processes renewing at once take turns and the later ones use
 * what the first obtained instead of spending (and rotating) the refresh token again.
 */
public final class TokenStore {
  /** A shop's row as stored (sealed values). */
  record Row(String accessToken, Instant accessExpiresAt, String refreshToken) {}

  private final Database db;

  public TokenStore(Database db) {
    this.db = db;
  }

  /** Runs {@code work} holding the shop's row lock; the row exists (maybe empty) by then. */
  <T> T locked(String shop, Instant now, LockedWork<T> work) {
    db.inTransaction(
        h ->
            h.createUpdate(
                    """
            MERGE INTO shop_tokens t USING (VALUES (CAST(:shop AS VARCHAR))) AS v(shop)
            ON t.shop = v.shop
            WHEN NOT MATCHED THEN INSERT (shop, updated_at)
              VALUES (v.shop, CAST(:now AS TIMESTAMP WITH TIME ZONE))
            """)
                .bind("shop", shop)
                .bind("now", now)
                .execute());
    return db.inTransaction(
        h -> {
          Row row =
              h.createQuery(
                      "SELECT access_token, access_expires_at, refresh_token "
                          + "FROM shop_tokens WHERE shop = :shop FOR UPDATE")
                  .bind("shop", shop)
                  .map((rs, ctx) -> new Row(rs.getString(1), Times.instant(rs, 2), rs.getString(3)))
                  .one();
          return work.run(
              row, (access, expiresAt, refresh) -> save(h, shop, access, expiresAt, refresh, now));
        });
  }

  Optional<Row> read(String shop) {
    return db.read(
        h ->
            h.createQuery(
                    "SELECT access_token, access_expires_at, refresh_token "
                        + "FROM shop_tokens WHERE shop = :shop")
                .bind("shop", shop)
                .map((rs, ctx) -> new Row(rs.getString(1), Times.instant(rs, 2), rs.getString(3)))
                .findOne());
  }

  private static void save(
      Handle h, String shop, String access, Instant expiresAt, String refresh, Instant now) {
    h.createUpdate(
            "UPDATE shop_tokens SET access_token = :access, access_expires_at = :expires,"
                + " refresh_token = COALESCE(:refresh, refresh_token), updated_at = :now "
                + "WHERE shop = :shop")
        .bindByType("access", access, String.class)
        .bindByType("expires", expiresAt, Instant.class)
        .bindByType("refresh", refresh, String.class)
        .bind("now", now)
        .bind("shop", shop)
        .execute();
  }

  interface Saver {
    void save(String sealedAccess, Instant expiresAt, String sealedRefresh);
  }

  interface LockedWork<T> {
    T run(Row row, Saver saver);
  }
}
