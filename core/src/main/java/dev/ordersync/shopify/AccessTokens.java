package dev.ordersync.shopify;

import dev.ordersync.secrets.Secret;

/** Where a shop's client gets the access token it sends with each request. */
public interface AccessTokens {
  /** The token to send now; may obtain one from Shopify's token endpoint first. */
  Secret current();

  /**
   * Shopify refused {@code token} (401): forget it. True when a new one can be obtained, so the
   * request is worth one more try; false for a token given as it is.
   */
  boolean refused(Secret token);

  /** What a migration to an expiring offline token came to. */
  enum Migration {
    /** Exchanged now, the pair stored before use. */
    MIGRATED,
    /** Done before (a pair is stored). */
    ALREADY,
    /** Not a public app's offline token: nothing to migrate. */
    NOT_APPLICABLE
  }

  /**
   * Exchanges a public app's non-expiring offline token for an expiring pair, stored before use;
   * safe to run again (Shopify answers a retry with the same pair).
   */
  default Migration migrateToExpiring() {
    return Migration.NOT_APPLICABLE;
  }

  /**
   * Obtains a new token from Shopify now, not the one stored by an earlier run (for {@code doctor}:
   * a wrong client secret must fail today, not when the stored token expires). False for a token
   * given as it is, which has nothing to obtain.
   */
  default boolean renewNow() {
    return false;
  }

  /** A token given as it is: a custom app's {@code shpat_}, which does not expire. */
  static AccessTokens fixed(Secret token) {
    return new AccessTokens() {
      @Override
      public Secret current() {
        return token;
      }

      @Override
      public boolean refused(Secret t) {
        return false;
      }
    };
  }
}
