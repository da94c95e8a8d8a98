package dev.ordersync.sync;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ordersync.App;
import dev.ordersync.AppOptions;
import dev.ordersync.config.AppConfig;
import dev.ordersync.config.ShopConfig;
import dev.ordersync.config.ShopDomain;
import dev.ordersync.config.SyncSettings;
import dev.ordersync.secrets.Secret;
import dev.ordersync.simulator.Simulator;
import dev.ordersync.simulator.time.VirtualClock;
import dev.ordersync.testing.Drafts;
import dev.ordersync.testing.Harness;
import dev.ordersync.testing.TestDatabases;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Several shops from one config: each its own watermark; one's failure never stops another. */
class SeveralShopsTest {
  @Test
  void each_shop_keeps_its_own_watermark_and_a_failing_shop_stops_no_other() {
    VirtualClock clock = new VirtualClock(Harness.START);
    Drafts drafts = new Drafts(31);
    try (Simulator a = Simulator.builder().clock(clock).domain("a-shop.myshopify.com").start();
        Simulator b =
            Simulator.builder()
                .clock(clock)
                .domain("b-shop.myshopify.com")
                .token("shpat_b")
                .start()) {
      for (Simulator s : List.of(a, b)) {
        for (int i = 0; i < 10; i++) {
          Instant at = Harness.START.minus(Duration.ofMinutes(50)).plusSeconds(i * 60L);
          s.shop().create(drafts.next(), at, at);
        }
      }
      // b's token is wrong in the config: b fails, a goes on
      AppConfig cfg =
          new AppConfig(
              List.of(shop(a, Simulator.DEFAULT_TOKEN), shop(b, "shpat_wrong")),
              Optional.empty(),
              SyncSettings.defaults(),
              Duration.ofMinutes(5),
              AppConfig.ReconcileSettings.defaults(),
              AppConfig.ClientSettings.defaults(),
              0);
      try (App app =
          App.open(
              cfg,
              TestDatabases.fresh(TestDatabases.Kind.H2),
              new AppOptions(clock, clock::advance, CrashPoints.NONE, 1))) {
        List<PassResult> results = app.sync().once();
        assertThat(results)
            .extracting(PassResult::shop)
            .containsExactly("a-shop.myshopify.com", "b-shop.myshopify.com");
        assertThat(results.get(0).ok()).isTrue();
        assertThat(results.get(1).ok()).isFalse();
        assertThat(results.get(1).error()).startsWith("b-shop.myshopify.com");
        assertThat(app.orders().stored().countAll("a-shop.myshopify.com")).isEqualTo(10);
        assertThat(app.orders().stored().countAll("b-shop.myshopify.com")).isZero();
        assertThat(
                app.sync()
                    .checkpoints()
                    .get(ShopDomain.of("a-shop.myshopify.com"), Checkpoints.ORDERS))
            .hasValueSatisfying(cp -> assertThat(cp.consecutiveFailures()).isZero());
        assertThat(
                app.sync()
                    .checkpoints()
                    .get(ShopDomain.of("b-shop.myshopify.com"), Checkpoints.ORDERS))
            .hasValueSatisfying(cp -> assertThat(cp.consecutiveFailures()).isEqualTo(1));
      }
    }
  }

  private static ShopConfig shop(Simulator sim, String token) {
    return new ShopConfig(
        ShopDomain.of(sim.shop().domain()),
        new Secret(token),
        Optional.of(URI.create(sim.endpoint())),
        "2026-10",
        Optional.of(ZoneId.of("America/New_York")),
        List.of());
  }
}
