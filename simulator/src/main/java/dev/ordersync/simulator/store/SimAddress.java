package dev.ordersync.simulator.store;

public record SimAddress(
    long id,
    String firstName,
    String lastName,
    String company,
    String address1,
    String address2,
    String city,
    String province,
    String provinceCode,
    String country,
    String countryCode,
    String zip,
    String phone) {

  public String name() {
    return (firstName + " " + lastName).trim();
  }
}
