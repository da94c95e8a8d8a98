package dev.ordersync.shopify;

import static dev.ordersync.shopify.ShopifyClient.Priority.CAN_WAIT;
import static dev.ordersync.shopify.ShopifyClient.Priority.FIRST;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/**
 * Issue 27: a shop's jobs share its client's bucket. A request's cost is set aside when it is
 * paced, so that the next job's request waits for it rather than being throttled by it (a first
 * pass gave up, "still throttled after 50 waits", while its own shop's sweep spent the bucket).
 */
class PacerTest {
  private static final class Hand extends Clock {
    Instant now = Instant.parse("2026-12-04T12:00:00Z");

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  private static Pacer pacer(Clock clock, int available) throws Exception {
    Pacer p = new Pacer(clock);
    p.observe(
        new ObjectMapper()
            .readTree(
                "{\"maximumAvailable\": 1000, \"currentlyAvailable\": "
                    + available
                    + ", \"restoreRate\": 50}"));
    return p;
  }

  @Test
  void the_second_of_two_requests_that_do_not_both_fit_waits_for_the_first() throws Exception {
    Hand clock = new Hand();
    Pacer p = pacer(clock, 100);
    assertThat(p.reserve(60, FIRST)).isEqualTo(Duration.ZERO);
    // 40 left: 61 needed for the next, 21 points at 50 a second
    assertThat(p.reserve(60, FIRST)).isEqualTo(Duration.ofMillis(420));
    // and a third waits for both
    assertThat(p.reserve(60, FIRST)).isEqualTo(Duration.ofMillis(1620));
  }

  @Test
  void the_refill_pays_a_reservation_back_and_shopifys_figure_replaces_the_estimate()
      throws Exception {
    Hand clock = new Hand();
    Pacer p = pacer(clock, 100);
    p.reserve(90, FIRST);
    clock.now = clock.now.plusSeconds(2); // 10 + 100 back
    assertThat(p.reserve(100, FIRST)).isEqualTo(Duration.ZERO);
    p.observe(
        new ObjectMapper()
            .readTree(
                "{\"maximumAvailable\": 1000, \"currentlyAvailable\": 1000, \"restoreRate\": 50}"));
    assertThat(p.waitFor(999)).isEqualTo(Duration.ZERO);
  }

  @Test
  void a_cost_not_known_sets_nothing_aside() throws Exception {
    Pacer p = pacer(new Hand(), 100);
    assertThat(p.reserve(0, FIRST)).isEqualTo(Duration.ZERO);
    assertThat(p.reserve(60, FIRST)).isEqualTo(Duration.ZERO);
  }

  @Test
  void work_that_can_wait_leaves_a_query_s_room_for_the_pass_and_sets_nothing_aside_meanwhile()
      throws Exception {
    Hand clock = new Hand();
    Pacer p = pacer(clock, 700); // a bucket of 1,000: the pass's room is half of it
    assertThat(p.reserve(100, CAN_WAIT)).isEqualTo(Duration.ZERO); // 700 >= 100 + 500 + 1
    // 600 left: a check of 150 waits until 651 are there, and holds nothing meanwhile
    assertThat(p.reserve(150, CAN_WAIT)).isEqualTo(Duration.ofMillis(1020));
    assertThat(p.reserve(150, CAN_WAIT)).isEqualTo(Duration.ofMillis(1020));
    // the pass's request goes at once, and the check waits the longer for it
    assertThat(p.reserve(400, FIRST)).isEqualTo(Duration.ZERO);
    assertThat(p.reserve(150, CAN_WAIT)).isEqualTo(Duration.ofMillis(9020));
    clock.now = clock.now.plusMillis(9020);
    assertThat(p.reserve(150, CAN_WAIT)).isEqualTo(Duration.ZERO);
  }
}
