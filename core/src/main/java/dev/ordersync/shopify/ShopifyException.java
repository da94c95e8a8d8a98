package dev.ordersync.shopify;

import dev.ordersync.config.ShopDomain;

/**
 * A failed call to Shopify, classified (invariant 5). The client retries throttled and transient
 * failures itself; one of these escapes only when it gives up, or at once for a permanent one.
 */
public class ShopifyException extends RuntimeException {
  public enum Kind {
    /** THROTTLED or HTTP 429: wait, then try again. */
    THROTTLED,
    /** 5xx, INTERNAL_SERVER_ERROR, timeouts, resets, truncated bodies: back off and retry. */
    TRANSIENT,
    /** 401/403/402/423, invalid queries, MAX_COST_EXCEEDED: retrying will not help. */
    PERMANENT
  }

  private final Kind kind;
  private final ShopDomain shop;
  private final String detail;

  public ShopifyException(Kind kind, ShopDomain shop, String message, Throwable cause) {
    super(shop + ": " + message, cause);
    this.kind = kind;
    this.shop = shop;
    this.detail = message;
  }

  /** The message without the shop's name. */
  public String detail() {
    return detail;
  }

  public Kind kind() {
    return kind;
  }

  public ShopDomain shop() {
    return shop;
  }

  /** Shopify refused the shop's credentials (HTTP 401 or 403): a configuration error. */
  public static final class CredentialsRefused extends ShopifyException {
    public CredentialsRefused(ShopDomain shop, String message) {
      super(Kind.PERMANENT, shop, message, null);
    }
  }

  /** The process is stopping: no request is sent, no wait is finished; not a failure of Shopify. */
  public static final class Stopped extends ShopifyException {
    public Stopped(ShopDomain shop) {
      super(Kind.TRANSIENT, shop, "stopped: order-sync is shutting down", null);
    }
  }
}
