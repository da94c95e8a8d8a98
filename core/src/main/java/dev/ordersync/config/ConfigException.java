package dev.ordersync.config;

/** The configuration is wrong; the message names the key and says what to write instead. */
public final class ConfigException extends RuntimeException {
  public ConfigException(String message) {
    super(message);
  }
}
