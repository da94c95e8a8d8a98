package dev.ordersync.credentials;

import dev.ordersync.config.Credentials;
import dev.ordersync.config.ShopDomain;
import dev.ordersync.secrets.Secret;
import dev.ordersync.shopify.AccessTokens;
import dev.ordersync.shopify.AccessTokens.Migration;
import dev.ordersync.shopify.ShopifyException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Access tokens a shop's app obtains itself: by the client credentials grant (a Dev Dashboard app;
 * about a day each) or by refreshing an expiring offline token (a public app; an hour each, and a
 * new refresh token every time). Renewed a little before they expire, and once more when Shopify
 * refuses one (a 401). Tokens are shared through the database by every process and instance; each
 * rotated refresh token is stored before the access token that came with it is used, and from then
 * on wins over the configured one.
 */
public final class GrantedTokens implements AccessTokens {
  private static final Logger log = LoggerFactory.getLogger(GrantedTokens.class);

  /** Renewed this long before expiry at most (less for tokens that live only minutes). */
  private static final Duration MARGIN = Duration.ofMinutes(5);

  /** How long a renewal may take before another process takes it over. */
  static final Duration LEASE = Duration.ofMinutes(1);

  /** How often a process waiting for another's renewal looks again (real time). */
  private static final Duration WAIT = Duration.ofMillis(50);

  /** How often a process still on a non-expiring token looks for a pair another one stored. */
  private static final Duration UNMIGRATED_RECHECK = Duration.ofMinutes(5);

  /** The next renewal asks Shopify even when the stored token is still good. */
  private boolean forceNext;

  /** Exchange the non-expiring offline token at the next renewal. */
  private boolean migrateNow;

  /** Whether the last renewal was the exchange. */
  private boolean exchanged;

  /** This process's name on its leases. */
  private final String claimant = java.util.UUID.randomUUID().toString();

  /** Without expires_in, a token is kept this long. */
  private static final Duration UNKNOWN_LIFETIME = Duration.ofMinutes(50);

  private final ShopDomain shop;
  private final Credentials credentials;
  private final TokenEndpoint endpoint;
  private final TokenStore store;
  private final SecretBox box;
  private final Clock clock;
  private Secret current;
  private Instant renewAt = Instant.MIN;
  private String refused;

  GrantedTokens(
      ShopDomain shop,
      Credentials credentials,
      TokenEndpoint endpoint,
      TokenStore store,
      SecretBox box,
      Clock clock) {
    this.shop = shop;
    this.credentials = credentials;
    this.endpoint = endpoint;
    this.store = store;
    this.box = box;
    this.clock = clock;
  }

  @Override
  public synchronized Secret current() {
    if (current == null || !clock.instant().isBefore(renewAt)) {
      renew();
    }
    return current;
  }

  @Override
  public synchronized boolean refused(Secret token) {
    refused = token.reveal();
    if (current != null && current.reveal().equals(refused)) {
      current = null;
    }
    if (credentials instanceof Credentials.OfflineToken o && o.token().reveal().equals(refused)) {
      // migrated by another process whose answer was lost, or past Shopify's deadline: a token
      // exchange gets the pair (the same one, when it was made before)
      migrateNow = true;
    }
    return true;
  }

  @Override
  public synchronized boolean renewNow() {
    if (credentials instanceof Credentials.OfflineToken && !migratedHere()) {
      return false; // a non-expiring token as it is: nothing to obtain
    }
    forceNext = true;
    current = null;
    try {
      renew();
    } finally {
      forceNext = false;
    }
    return true;
  }

  private boolean migratedHere() {
    return store.read(shop).map(r -> r.refreshToken() != null).orElse(false);
  }

  @Override
  public synchronized Migration migrateToExpiring() {
    if (!(credentials instanceof Credentials.OfflineToken)) {
      return Migration.NOT_APPLICABLE;
    }
    migrateNow = true;
    exchanged = false;
    current = null;
    renew();
    return exchanged ? Migration.MIGRATED : Migration.ALREADY;
  }

  /**
   * The token another process obtained meanwhile if it is still good, else a new one from Shopify,
   * stored before it is used. The request to Shopify runs under a lease, outside any transaction: a
   * slow Shopify holds no database lock, and a retried transaction never repeats the request.
   */
  private void renew() {
    Instant now = clock.instant();
    Instant deadline = now.plus(LEASE);
    while (true) {
      Instant at = clock.instant();
      TokenStore.Start start =
          store.begin(shop, claimant, at, at.plus(LEASE), row -> usable(row, at));
      if (start.state() == TokenStore.Begun.USABLE) {
        use(new Secret(box.open(start.row().accessToken())), start.row().accessExpiresAt(), at);
        return;
      }
      if (start.state() == TokenStore.Begun.LEASED) {
        String storedRefresh = box.open(start.row().refreshToken());
        if (credentials instanceof Credentials.OfflineToken o
            && storedRefresh == null
            && !migrateNow) {
          store.abandon(shop, claimant); // not migrated yet: the offline token as it is
          current = o.token();
          renewAt = at.plus(UNMIGRATED_RECHECK);
          refused = null;
          return;
        }
        TokenEndpoint.Grant grant;
        try {
          grant = grant(storedRefresh);
        } catch (RuntimeException e) {
          store.abandon(shop, claimant);
          throw e;
        }
        Instant got = clock.instant();
        Instant expires =
            got.plus(grant.expiresIn() != null ? grant.expiresIn() : UNKNOWN_LIFETIME);
        store.finish(
            shop,
            box.seal(grant.accessToken().reveal()),
            expires,
            grant.refreshToken() == null ? null : box.seal(grant.refreshToken().reveal()),
            got);
        log.info(
            "{}: obtained an access token ({}), valid until {}", shop, credentials.kind(), expires);
        use(grant.accessToken(), expires, got);
        return;
      }
      // another process is renewing: its token comes within its lease, or the lease runs out
      if (!clock.instant().isBefore(deadline.plus(LEASE))) {
        throw new ShopifyException(
            ShopifyException.Kind.TRANSIENT,
            shop,
            "another process has been renewing the access token for longer than " + LEASE,
            null);
      }
      pause();
    }
  }

  private boolean usable(TokenStore.Row row, Instant now) {
    if (forceNext) {
      return false;
    }
    String stored = box.open(row.accessToken());
    return stored != null
        && !stored.equals(refused)
        && row.accessExpiresAt() != null
        && now.isBefore(renewalTime(now, row.accessExpiresAt()));
  }

  private void use(Secret token, Instant expiresAt, Instant now) {
    current = token;
    renewAt = renewalTime(now, expiresAt);
    refused = null;
  }

  private void pause() {
    try {
      Thread.sleep(WAIT.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ShopifyException(
          ShopifyException.Kind.TRANSIENT, shop, "interrupted while waiting for a token", e);
    }
  }

  private TokenEndpoint.Grant grant(String storedRefresh) {
    if (credentials instanceof Credentials.OfflineToken o) {
      if (storedRefresh != null) {
        return endpoint.refresh(o.clientId(), o.clientSecret(), new Secret(storedRefresh));
      }
      TokenEndpoint.Grant pair = endpoint.exchange(o.clientId(), o.clientSecret(), o.token());
      exchanged = true;
      migrateNow = false;
      log.info("{}: the offline token was exchanged for an expiring one (stored before use)", shop);
      return pair;
    }
    if (credentials instanceof Credentials.RefreshToken r) {
      Secret configured = r.refreshToken();
      if (storedRefresh == null || storedRefresh.equals(configured.reveal())) {
        return endpoint.refresh(r.clientId(), r.clientSecret(), configured);
      }
      try {
        return endpoint.refresh(r.clientId(), r.clientSecret(), new Secret(storedRefresh));
      } catch (ShopifyException.CredentialsRefused e) {
        // the stored one was revoked; a refresh token configured since (a reinstall) may work
        log.warn("{}: the stored refresh token was refused; trying the configured one", shop);
        return endpoint.refresh(r.clientId(), r.clientSecret(), configured);
      }
    }
    if (credentials instanceof Credentials.Installed i) {
      if (storedRefresh == null) {
        throw new ShopifyException.CredentialsRefused(
            shop,
            "no refresh token is stored for this shop (uninstalled, or redacted): the merchant "
                + "installs the app again");
      }
      return endpoint.refresh(i.clientId(), i.clientSecret(), new Secret(storedRefresh));
    }
    Credentials.ClientCredentials c = (Credentials.ClientCredentials) credentials;
    return endpoint.clientCredentials(c.clientId(), c.clientSecret());
  }

  /** When to renew a token that expires at {@code expires}: a margin before, at most a fifth. */
  private static Instant renewalTime(Instant now, Instant expires) {
    Duration life = Duration.between(now, expires);
    Duration margin = life.dividedBy(5).compareTo(MARGIN) < 0 ? life.dividedBy(5) : MARGIN;
    return expires.minus(margin);
  }

  private record Obtained(Secret token, Instant expiresAt) {}
}
