package dev.ordersync.config;

import dev.ordersync.secrets.Secret;
import java.net.URI;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One shop to import from.
 *
 * @param domain the shop's myshopify.com domain, its name everywhere in order-sync
 * @param credentials how its access token is had
 * @param apiUrl the GraphQL endpoint, when not Shopify's own (the simulator, a proxy)
 * @param timezone the shop's IANA zone, when not read from Shopify
 * @param webhookSecrets the current secret first, then the previous one during a rotation
 */
public record ShopConfig(
    ShopDomain domain,
    Credentials credentials,
    Optional<URI> apiUrl,
    String apiVersion,
    Optional<ZoneId> timezone,
    List<Secret> webhookSecrets) {

  public ShopConfig {
    webhookSecrets = List.copyOf(webhookSecrets);
  }

  /** A shop reached with a static access token. */
  public ShopConfig(
      ShopDomain domain,
      Secret token,
      Optional<URI> apiUrl,
      String apiVersion,
      Optional<ZoneId> timezone,
      List<Secret> webhookSecrets) {
    this(domain, new Credentials.AccessToken(token), apiUrl, apiVersion, timezone, webhookSecrets);
  }

  public URI endpoint() {
    return apiUrl.orElse(
        URI.create("https://" + domain + "/admin/api/" + apiVersion + "/graphql.json"));
  }

  /**
   * Where tokens are granted: beside the GraphQL endpoint's {@code /admin/api/}, i.e. on the shop's
   * host, or on {@code apiUrl}'s (a simulator fleet serves each shop under a path of its own).
   */
  public URI tokenEndpoint() {
    URI api = endpoint();
    String path = api.getRawPath() == null ? "" : api.getRawPath();
    int admin = path.indexOf("/admin/api/");
    String prefix = admin > 0 ? path.substring(0, admin) : "";
    return URI.create(
        api.getScheme() + "://" + api.getRawAuthority() + prefix + "/admin/oauth/access_token");
  }

  /** The secrets a webhook of this shop may be signed with: the app's client secret too. */
  public List<Secret> signingSecrets() {
    List<Secret> all = new ArrayList<>(webhookSecrets);
    if (credentials.clientSecret() != null) {
      all.add(credentials.clientSecret());
    }
    return all;
  }

  public ShopConfig withWebhookSecrets(List<Secret> secrets) {
    return new ShopConfig(domain, credentials, apiUrl, apiVersion, timezone, secrets);
  }

  public ShopConfig withApiUrl(URI url) {
    return new ShopConfig(
        domain, credentials, Optional.of(url), apiVersion, timezone, webhookSecrets);
  }

  public ShopConfig withTimezone(Optional<ZoneId> zone) {
    return new ShopConfig(domain, credentials, apiUrl, apiVersion, zone, webhookSecrets);
  }
}
