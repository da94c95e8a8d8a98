package dev.ordersync.config;

import dev.ordersync.shopify.Secret;
import java.net.URI;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;

/**
 * One shop to import from.
 *
 * @param domain the shop's myshopify.com domain, its name everywhere in order-sync
 * @param apiUrl the GraphQL endpoint, when not Shopify's own (the simulator, a proxy)
 * @param timezone the shop's IANA zone, when not read from Shopify
 * @param webhookSecrets the current secret first, then the previous one during a rotation
 */
public record ShopConfig(String domain, Secret token, Optional<URI> apiUrl, String apiVersion,
    Optional<ZoneId> timezone, List<Secret> webhookSecrets) {

  public ShopConfig {
    webhookSecrets = List.copyOf(webhookSecrets);
  }

  public URI endpoint() {
    return apiUrl.orElse(URI.create("https://" + domain + "/admin/api/" + apiVersion
        + "/graphql.json"));
  }
}
