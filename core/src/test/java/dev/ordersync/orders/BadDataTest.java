package dev.ordersync.orders;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ordersync.App;
import dev.ordersync.simulator.store.SimOrder;
import dev.ordersync.sync.PassResult;
import dev.ordersync.testing.CorruptingProxy;
import dev.ordersync.testing.Drafts;
import dev.ordersync.testing.Harness;
import dev.ordersync.testing.StoreAssertions;
import dev.ordersync.testing.TestDatabases;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Invariant 6: an order that cannot be mapped is kept with its payload, retried, reported. */
class BadDataTest {
  private final Drafts drafts = new Drafts(17);

  @Test
  void an_unmappable_order_is_kept_retried_and_resolved_while_the_pass_goes_on() {
    try (Harness h = new Harness(TestDatabases.Kind.H2);
        CorruptingProxy proxy = new CorruptingProxy(h.sim.endpoint())) {
      h.withConfig(Harness.through(h.config(), proxy.endpoint()));
      List<SimOrder> orders = new ArrayList<>();
      for (int i = 0; i < 30; i++) {
        Instant at = Harness.START.minus(Duration.ofMinutes(100)).plusSeconds(i * 60L);
        orders.add(h.sim.shop().create(drafts.next(), at, at));
      }
      SimOrder bad = orders.get(12);
      SimOrder worse = orders.get(20);
      proxy.damage(bad.gid(), o -> o.remove("createdAt"));
      proxy.damage(
          worse.gid(),
          o -> o.with("totalPriceSet").with("shopMoney").put("amount", "twelve dollars"));
      App app = h.app();

      PassResult first = app.sync().once(h.shop());
      assertThat(first.ok()).isTrue();
      assertThat(first.ordersFailed()).isEqualTo(2);
      assertThat(app.orders().stored().countAll(h.shop().value())).isEqualTo(28);
      List<FailedOrders.Failure> failures = app.orders().failed().open(h.shop().value());
      assertThat(failures)
          .extracting(FailedOrders.Failure::orderKey)
          .containsExactlyInAnyOrder(bad.gid(), worse.gid());
      assertThat(failures)
          .allSatisfy(
              f -> {
                assertThat(f.rawPayload()).contains(f.orderKey());
                assertThat(f.attempts()).isEqualTo(1);
              });
      assertThat(failures)
          .filteredOn(f -> f.orderKey().equals(bad.gid()))
          .singleElement()
          .satisfies(f -> assertThat(f.error()).contains("createdAt is missing"));
      assertThat(failures)
          .filteredOn(f -> f.orderKey().equals(worse.gid()))
          .singleElement()
          .satisfies(f -> assertThat(f.error()).contains("not a decimal"));

      h.advance(Duration.ofMinutes(5));
      app.sync().once(h.shop()); // retried, still bad
      assertThat(app.orders().failed().open(h.shop().value()))
          .allSatisfy(f -> assertThat(f.attempts()).isEqualTo(2));

      proxy.heal();
      h.advance(Duration.ofMinutes(10)); // the second failure doubled the wait to 10 minutes
      assertThat(app.sync().once(h.shop()).ok()).isTrue();
      assertThat(app.orders().failed().open(h.shop().value())).isEmpty();
      StoreAssertions.assertStoredExactly(app, h.sim, "after the orders healed");
    }
  }

  @Test
  void an_enum_value_newer_than_this_code_is_stored_as_it_came_not_rejected() {
    try (Harness h = new Harness(TestDatabases.Kind.H2);
        CorruptingProxy proxy = new CorruptingProxy(h.sim.endpoint())) {
      h.withConfig(Harness.through(h.config(), proxy.endpoint()));
      Instant at = Harness.START.minus(Duration.ofMinutes(30));
      SimOrder o = h.sim.shop().create(drafts.next(), at, at);
      proxy.damage(
          o.gid(),
          n ->
              n.put("displayFinancialStatus", "PAID_IN_INSTALMENTS")
                  .put("displayFulfillmentStatus", "DRONE_DISPATCHED"));
      App app = h.app();
      assertThat(app.sync().once(h.shop()).ordersFailed()).isZero();
      assertThat(StoreAssertions.exported(app))
          .singleElement()
          .satisfies(
              r -> {
                assertThat(r.get("financialStatus")).isEqualTo("PAID_IN_INSTALMENTS");
                assertThat(r.get("fulfillmentStatus")).isEqualTo("DRONE_DISPATCHED");
              });
    }
  }
}
