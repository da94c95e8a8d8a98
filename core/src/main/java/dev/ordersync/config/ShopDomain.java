package dev.ordersync.config;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A shop's domain as Shopify names it, {@code name.myshopify.com} in lower case: a shop's name
 * everywhere in order-sync. Checked once, where it comes in (the configuration, the install flow,
 * the command line, a request, a webhook); the database and JSON hold its {@link #value()}.
 */
public record ShopDomain(@JsonValue String value) {
  private static final Pattern FORM = Pattern.compile("[a-z0-9][a-z0-9-]{0,99}\\.myshopify\\.com");

  public ShopDomain {
    if (!isValid(value)) {
      throw new IllegalArgumentException(
          "'" + value + "' is not a shop's domain: write it as name.myshopify.com, in lower case");
    }
  }

  public static ShopDomain of(String domain) {
    return new ShopDomain(domain);
  }

  /** The domain, or empty where {@code text} is not one (what a request or a form sent). */
  public static Optional<ShopDomain> parse(String text) {
    return isValid(text) ? Optional.of(new ShopDomain(text)) : Optional.empty();
  }

  public static boolean isValid(String domain) {
    return domain != null && FORM.matcher(domain).matches();
  }

  @Override
  public String toString() {
    return value;
  }
}
