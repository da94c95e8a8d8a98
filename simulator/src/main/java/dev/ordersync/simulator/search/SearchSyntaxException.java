package dev.ordersync.simulator.search;

public final class SearchSyntaxException extends RuntimeException {
  public SearchSyntaxException(String message) {
    super(message);
  }
}
