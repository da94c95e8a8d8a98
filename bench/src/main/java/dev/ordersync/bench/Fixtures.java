package dev.ordersync.bench;

import dev.ordersync.App;
import dev.ordersync.AppOptions;
import dev.ordersync.config.AppConfig;
import dev.ordersync.config.ShopConfig;
import dev.ordersync.config.ShopDomain;
import dev.ordersync.config.SyncSettings;
import dev.ordersync.orders.Order;
import dev.ordersync.secrets.Secret;
import dev.ordersync.simulator.Simulator;
import dev.ordersync.simulator.store.OrderDraft;
import dev.ordersync.simulator.store.SimOrder;
import dev.ordersync.simulator.time.VirtualClock;
import dev.ordersync.sync.CrashPoints;
import java.math.BigDecimal;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;

/** Shared set-up for the benchmarks that talk to the simulator. */
final class Fixtures {
  private Fixtures() {}

  static AppConfig config(Simulator sim, List<Secret> webhookSecrets) {
    return config(sim, webhookSecrets, Duration.ofDays(1));
  }

  static AppConfig config(Simulator sim, List<Secret> webhookSecrets, Duration lookback) {
    ShopConfig shop =
        new ShopConfig(
            ShopDomain.of(sim.shop().domain()),
            new Secret(Simulator.DEFAULT_TOKEN),
            Optional.of(URI.create(sim.endpoint())),
            "2026-10",
            Optional.of(ZoneId.of("America/New_York")),
            webhookSecrets);
    SyncSettings d = SyncSettings.defaults();
    return new AppConfig(
        List.of(shop),
        Optional.empty(),
        // paged, as these benchmarks measure the poll: the bulk path has a benchmark of its own
        new SyncSettings(d.settleLag(), d.overlap(), d.maxWindow(), lookback).withBulkThreshold(0),
        Duration.ofMinutes(5),
        AppConfig.ReconcileSettings.defaults(),
        new AppConfig.ClientSettings(Duration.ofSeconds(5), Duration.ofSeconds(60), 8),
        0);
  }

  static App app(Simulator sim, String jdbcUrl, VirtualClock clock) {
    return App.open(
        config(sim, List.of()),
        jdbcUrl,
        new AppOptions(clock, clock::advance, CrashPoints.NONE, 1));
  }

  /** A small order (one line item, no addresses): lets a million fit in one JVM's memory. */
  static OrderDraft lightDraft() {
    return new OrderDraft(
        false,
        "web",
        null,
        null,
        "USD",
        BigDecimal.ZERO,
        BigDecimal.ZERO,
        BigDecimal.ZERO,
        null,
        null,
        null,
        List.of(),
        null,
        List.of(
            new dev.ordersync.simulator.store.SimLineItem(
                1, "SKU", "Item", 1, 1, 1, BigDecimal.TEN)),
        null);
  }

  /** The stored form of a simulator order, for filling a store without the API. */
  static Order stored(String shop, SimOrder o) {
    return Order.builder()
        .shop(shop)
        .id(o.gid())
        .legacyId(o.id())
        .name(o.name())
        .number(o.number())
        .createdAt(o.createdAt())
        .updatedAt(o.updatedAt())
        .processedAt(o.processedAt())
        .test(false)
        .sourceName("web")
        .financialStatus("PAID")
        .fulfillmentStatus("UNFULFILLED")
        .currency("USD")
        .totalPrice(BigDecimal.TEN)
        .lineItems(
            List.of(
                new Order.LineItem(
                    "gid://shopify/LineItem/" + o.id(),
                    "SKU",
                    "Item",
                    1,
                    1,
                    null,
                    BigDecimal.TEN,
                    BigDecimal.TEN)))
        .rawFormat(Order.RawFormat.GRAPHQL)
        .rawPayload("{}")
        .build();
  }

  static Instant dayStart() {
    return Instant.parse("2026-11-26T05:00:00Z");
  }

  /** Starts {@code main} of {@code child} in a JVM of its own, capped at 256 MB of heap. */
  static Process child(Class<?> child, String... args) throws java.io.IOException {
    String javaBin =
        java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command = new java.util.ArrayList<>();
    command.addAll(
        List.of(
            javaBin,
            "-Xmx256m",
            "-Dlogback.configurationFile=" + System.getProperty("logback.configurationFile", ""),
            "-cp",
            System.getProperty("java.class.path"),
            child.getName()));
    command.addAll(List.of(args));
    return new ProcessBuilder(command).inheritIO().start();
  }

  /**
   * order-sync in a child JVM against the parent's simulator at {@code endpoint}: its clock starts
   * at {@code clockAt}, and waiting (for the rate limit, for a bulk operation) moves the
   * simulator's clock in the parent too.
   */
  static App remoteApp(String endpoint, String jdbcUrl, Instant clockAt, SyncSettings sync) {
    VirtualClock clock = new VirtualClock(clockAt);
    ShopConfig shop =
        new ShopConfig(
            ShopDomain.of("sim-shop.myshopify.com"),
            new Secret(Simulator.DEFAULT_TOKEN),
            Optional.of(URI.create(endpoint)),
            "2026-10",
            Optional.of(ZoneId.of("America/New_York")),
            List.of());
    AppConfig base = AppConfig.empty();
    AppConfig cfg =
        new AppConfig(
            List.of(shop),
            base.database(),
            sync,
            base.syncInterval(),
            base.reconcile(),
            new AppConfig.ClientSettings(Duration.ofSeconds(5), Duration.ofSeconds(120), 8),
            0);
    java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
    String control = endpoint.substring(0, endpoint.indexOf("/admin/")) + "/control/clock";
    dev.ordersync.shopify.Sleeper sleeper =
        d -> {
          clock.advance(d);
          try {
            http.send(
                java.net.http.HttpRequest.newBuilder(URI.create(control))
                    .POST(
                        java.net.http.HttpRequest.BodyPublishers.ofString(
                            "{\"advanceSeconds\":"
                                + Math.max(1, (d.toMillis() + 999) / 1000)
                                + "}"))
                    .build(),
                java.net.http.HttpResponse.BodyHandlers.discarding());
          } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
          }
        };
    return App.open(cfg, jdbcUrl, new AppOptions(clock, sleeper, CrashPoints.NONE, 1));
  }

  static void resetPeaks() {
    for (java.lang.management.MemoryPoolMXBean p :
        java.lang.management.ManagementFactory.getMemoryPoolMXBeans()) {
      p.resetPeakUsage();
    }
  }

  /** The sum of the heap pools' peaks since the last reset: an upper bound of the peak heap. */
  static long peakHeapMb() {
    long sum = 0;
    for (java.lang.management.MemoryPoolMXBean p :
        java.lang.management.ManagementFactory.getMemoryPoolMXBeans()) {
      if (p.getType() == java.lang.management.MemoryType.HEAP) {
        sum += p.getPeakUsage().getUsed();
      }
    }
    return sum / (1024 * 1024);
  }
}
