package dev.ordersync.simulator.cost;

/**
 * Shopify plans and their GraphQL Admin rate limits. Restore rates are documented; bucket sizes are
 * not, so these are the ones users observed (see the API facts in shared/reference).
 */
public enum Plan {
  STANDARD(2_000, 100),
  ADVANCED(4_000, 200),
  PLUS(20_000, 1_000),
  ENTERPRISE(40_000, 2_000);

  private final int maximumAvailable;
  private final int restoreRate;

  Plan(int maximumAvailable, int restoreRate) {
    this.maximumAvailable = maximumAvailable;
    this.restoreRate = restoreRate;
  }

  public int maximumAvailable() {
    return maximumAvailable;
  }

  public int restoreRate() {
    return restoreRate;
  }
}
