package dev.ordersync.db;

/** The database cannot be opened or used; the message says which and what to do. */
public final class DatabaseException extends RuntimeException {
  public DatabaseException(String message, Throwable cause) {
    super(message, cause);
  }
}
