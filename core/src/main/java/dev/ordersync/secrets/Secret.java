package dev.ordersync.secrets;

/** A token or key that must never reach a log, a report or an exception message. */
public final class Secret {
  private final String value;

  public Secret(String value) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException("a secret cannot be empty");
    }
    this.value = value;
  }

  public String reveal() {
    return value;
  }

  @Override
  public String toString() {
    return "***";
  }
}
