package dev.ordersync.credentials;

import dev.ordersync.config.Credentials;
import dev.ordersync.config.ShopConfig;
import dev.ordersync.shopify.AccessTokens;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Makes each shop's {@link AccessTokens} from its configured credentials. */
public final class ShopTokens {
  private static final Logger log = LoggerFactory.getLogger(ShopTokens.class);
  private final TokenStore store;
  private final SecretBox box;
  private final HttpClient http;
  private final Duration timeout;
  private final Clock clock;
  private final AtomicBoolean warned = new AtomicBoolean();

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
    if (!box.hasKey() && warned.compareAndSet(false, true)) {
      log.warn(
          "ORDER_SYNC_SECRET_KEY is not set: the access and refresh tokens order-sync "
              + "obtains are stored in the database as given. Set it to store them encrypted.");
    }
    return new GrantedTokens(
        shop.domain(),
        shop.credentials(),
        new TokenEndpoint(shop.domain(), shop.tokenEndpoint(), http, timeout),
        store,
        box,
        clock);
  }
}
