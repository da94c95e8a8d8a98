package dev.ordersync.credentials;

import dev.ordersync.config.ConfigException;
import dev.ordersync.config.Credentials;
import dev.ordersync.config.ShopConfig;
import dev.ordersync.secrets.Secret;
import dev.ordersync.shopify.AccessTokens;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

/** Makes each shop's {@link AccessTokens} from its configured credentials. */
public final class ShopTokens {
  private final TokenStore store;
  private final SecretBox box;
  private final HttpClient http;
  private final Duration timeout;
  private final Clock clock;
  private final AtomicBoolean checked = new AtomicBoolean();

  public ShopTokens(
      TokenStore store, SecretBox box, HttpClient http, Duration timeout, Clock clock) {
    this.store = store;
    this.box = box;
    this.http = http;
    this.timeout = timeout;
    this.clock = clock;
  }

  public AccessTokens of(ShopConfig shop) {
    if (shop.credentials() instanceof Credentials.AccessToken t) {
      return AccessTokens.fixed(t.token());
    }
    if (shop.credentials() instanceof Credentials.NotGiven) {
      return new AccessTokens() {
        @Override
        public Secret current() {
          throw new ConfigException(
              shop.domain()
                  + ": this command calls Shopify and needs the shop's credentials "
                  + "(SHOPIFY_ACCESS_TOKEN, or the token or clientId and clientSecret in the config)");
        }

        @Override
        public boolean refused(Secret token) {
          return false;
        }
      };
    }
    requireKeyForStoredTokens();
    return new GrantedTokens(
        shop.domain(),
        shop.credentials(),
        new TokenEndpoint(shop.domain(), shop.tokenEndpoint(), http, timeout),
        store,
        box,
        clock);
  }

  /**
   * Refuses to go on when tokens stored encrypted cannot be opened: without the key, or with
   * another one, they would be taken for absent, a long-rotated configured refresh token tried (and
   * the operator told to reinstall), or a fresh token stored in plain text beside them.
   */
  private void requireKeyForStoredTokens() {
    if (checked.getAndSet(true)) {
      return;
    }
    for (String stored : store.allValues()) {
      if (box.open(stored) == null) {
        throw new ConfigException(
            box.hasKey()
                ? "ORDER_SYNC_SECRET_KEY does not open the tokens stored in the database (was it "
                    + "changed?): set the key they were stored with; to change keys, run "
                    + "`order-sync credentials rotate-key` with the old key in "
                    + "ORDER_SYNC_OLD_SECRET_KEY"
                : "the database holds tokens encrypted with ORDER_SYNC_SECRET_KEY, which is not "
                    + "set: set it to the key they were stored with");
      }
    }
  }
}
