package dev.ordersync.simulator.store;

public record SimCustomer(long id, String firstName, String lastName, String email) {
  public String displayName() {
    return (firstName + " " + lastName).trim();
  }
}
