package dev.ordersync.config;

import dev.ordersync.sync.SyncSettings;
import java.time.Duration;
import java.time.LocalTime;
import java.util.List;
import java.util.Optional;

/** Everything order-sync is told, validated. */
public record AppConfig(
    List<ShopConfig> shops,
    Optional<String> database,
    SyncSettings sync,
    Duration syncInterval,
    ReconcileSettings reconcile,
    ClientSettings client,
    int httpPort) {

  public AppConfig {
    shops = List.copyOf(shops);
  }

  /** No shops: for commands that only read the store. */
  public static AppConfig empty() {
    return new AppConfig(List.of(), Optional.empty(), SyncSettings.defaults(),
        Duration.ofMinutes(5), ReconcileSettings.defaults(), ClientSettings.defaults(), 8080);
  }

  public Optional<ShopConfig> shop(String domain) {
    return shops.stream().filter(s -> s.domain().equals(domain)).findFirst();
  }

  /**
   * @param nightlyAt the shop-local time the nightly reconciliation runs (midnight by default)
   * @param days how many previous shop-local days it covers
   * @param sweepInterval how often the sweep compares recent hours with Shopify
   * @param sweepLookback how far back the sweep looks
   */
  public record ReconcileSettings(LocalTime nightlyAt, int days, Duration sweepInterval,
      Duration sweepLookback) {
    public static ReconcileSettings defaults() {
      return new ReconcileSettings(LocalTime.MIDNIGHT, 2, Duration.ofMinutes(15),
          Duration.ofHours(6));
    }
  }

  public record ClientSettings(Duration connectTimeout, Duration requestTimeout,
      int maxAttempts) {
    public static ClientSettings defaults() {
      return new ClientSettings(Duration.ofSeconds(10), Duration.ofSeconds(30), 8);
    }
  }
}
