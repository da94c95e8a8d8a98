package dev.ordersync.config;

import java.util.regex.Pattern;

/**
 * A shop's domain as Shopify names it, {@code name.myshopify.com} in lower case: the one rule the
 * configuration, the install flow and the command line check a shop against.
 */
public final class ShopDomain {
  private static final Pattern FORM = Pattern.compile("[a-z0-9][a-z0-9-]{0,99}\\.myshopify\\.com");

  private ShopDomain() {}

  public static boolean isValid(String domain) {
    return domain != null && FORM.matcher(domain).matches();
  }
}
