package dev.ordersync.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class OutagesTest {
  private static final Instant T = Instant.parse("2026-12-04T14:00:00Z");

  private static Instant at(int minutes) {
    return T.plus(Duration.ofMinutes(minutes));
  }

  @Test
  void an_order_waiting_through_an_outage_counts_the_minutes_before_and_after_it() {
    Outages outages = new Outages();
    outages.add(at(0), at(20));
    assertThat(outages.outside(at(-3), at(22))).isEqualTo(Duration.ofMinutes(5));
    assertThat(outages.outside(at(5), at(21)))
        .as("written during it")
        .isEqualTo(Duration.ofMinutes(1));
    assertThat(outages.outside(at(5), at(10))).as("stored during it").isZero();
    assertThat(outages.outside(at(-10), at(-2))).as("before it").isEqualTo(Duration.ofMinutes(8));
    assertThat(outages.outside(at(30), at(29))).as("stored before written").isZero();
  }

  @Test
  void overlapping_outages_count_once() {
    Outages outages = new Outages();
    outages.add(at(10), at(30));
    outages.add(at(0), at(20));
    outages.add(at(40), at(45));
    assertThat(outages.outside(at(-1), at(50))).isEqualTo(Duration.ofMinutes(51 - 30 - 5));
  }
}
