package dev.ordersync.config;

import dev.ordersync.secrets.Secret;

/**
 * How order-sync gets a shop's access token: given as it is (a custom app's {@code shpat_} token),
 * by the client credentials grant (a Dev Dashboard app: id and secret, a token that lasts about a
 * day), or by refreshing an expiring offline token (a public app: id, secret and a refresh token
 * that rotates on every use).
 */
public sealed interface Credentials {
  /** The app's client secret, which also signs its webhooks; null for a static token. */
  Secret clientSecret();

  /** What kind of credentials, for messages: never a value. */
  String kind();

  /**
   * None given: for the commands that only read the store (report, orders export, ...), which never
   * call Shopify and so need no Shopify secret.
   */
  record NotGiven() implements Credentials {
    @Override
    public Secret clientSecret() {
      return null;
    }

    @Override
    public String kind() {
      return "no credentials";
    }
  }

  record AccessToken(Secret token) implements Credentials {
    @Override
    public Secret clientSecret() {
      return null;
    }

    @Override
    public String kind() {
      return "access token";
    }
  }

  record ClientCredentials(String clientId, Secret clientSecret) implements Credentials {
    @Override
    public String kind() {
      return "client id and secret";
    }
  }

  /**
   * A public app's non-expiring offline token, with the app's id and secret: used as it is until it
   * is exchanged for an expiring pair ({@code credentials migrate}; Shopify invalidates such tokens
   * on 2027-01-01), then refreshed like an expiring offline token from the pair stored.
   */
  record OfflineToken(String clientId, Secret clientSecret, Secret token) implements Credentials {
    @Override
    public String kind() {
      return "public app's offline token, client id and secret";
    }
  }

  /**
   * A shop a merchant installed through {@code /shopify/install}: the app's id and secret; the
   * expiring offline token and its refresh token are the ones the install stored, rotated since.
   */
  record Installed(String clientId, Secret clientSecret) implements Credentials {
    @Override
    public String kind() {
      return "installed app's refresh token";
    }
  }

  record RefreshToken(String clientId, Secret clientSecret, Secret refreshToken)
      implements Credentials {
    @Override
    public String kind() {
      return "client id, secret and refresh token";
    }
  }
}
