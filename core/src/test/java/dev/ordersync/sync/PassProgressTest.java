package dev.ordersync.sync;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ordersync.App;
import dev.ordersync.testing.Drafts;
import dev.ordersync.testing.Harness;
import dev.ordersync.testing.TestDatabases;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What {@code sync --once} draws: a pass's totals so far after each page, ending at its result. */
class PassProgressTest {
  private final Drafts drafts = new Drafts(7);

  @Test
  void each_page_adds_to_the_totals_and_the_last_line_is_the_pass() {
    try (Harness h = new Harness(TestDatabases.Kind.H2)) {
      App app = h.app();
      for (int i = 0; i < 620; i++) { // three pages of versions
        h.sim.shop().create(drafts.next());
        h.advance(Duration.ofSeconds(5));
      }
      h.advance(Duration.ofMinutes(5));
      List<PassProgress.Snapshot> lines = new ArrayList<>();

      PassResult pass = app.sync().once(lines::add).get(0);

      assertThat(pass.ok()).isTrue();
      assertThat(pass.ordersWritten()).isEqualTo(620);
      assertThat(lines).hasSizeGreaterThanOrEqualTo(3);
      for (int i = 0; i < lines.size(); i++) {
        assertThat(lines.get(i).pages()).isEqualTo(i + 1);
        if (i > 0) {
          assertThat(lines.get(i).ordersListed())
              .isGreaterThanOrEqualTo(lines.get(i - 1).ordersListed());
        }
      }
      PassProgress.Snapshot last = lines.get(lines.size() - 1);
      assertThat(last.pages()).isEqualTo(pass.pages());
      assertThat(last.ordersListed()).isEqualTo(pass.ordersSeen());
      assertThat(last.ordersWritten()).isEqualTo(pass.ordersWritten());
    }
  }
}
