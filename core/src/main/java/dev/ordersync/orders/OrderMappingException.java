package dev.ordersync.orders;

/** An order payload that cannot be turned into an {@link Order}; the message names the field. */
public final class OrderMappingException extends RuntimeException {
  public OrderMappingException(String message) {
    super(message);
  }

  public OrderMappingException(String message, Throwable cause) {
    super(message, cause);
  }
}
