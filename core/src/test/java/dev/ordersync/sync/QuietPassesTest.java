package dev.ordersync.sync;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.ordersync.App;
import dev.ordersync.testing.Drafts;
import dev.ordersync.testing.Harness;
import dev.ordersync.testing.TestDatabases;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * A pass that found nothing is logged at DEBUG: a quiet shop passes every few minutes, 480 times a
 * day, and 300 quiet shops would fill the log with nothing. A pass that listed orders says so.
 */
class QuietPassesTest {
  private final Logger passLogger = (Logger) LoggerFactory.getLogger(SyncPass.class);
  private final ListAppender<ILoggingEvent> lines = new ListAppender<>();
  private Level levelBefore;

  @BeforeEach
  void capture() {
    levelBefore = passLogger.getLevel();
    passLogger.setLevel(Level.DEBUG);
    lines.start();
    passLogger.addAppender(lines);
  }

  @AfterEach
  void release() {
    passLogger.detachAppender(lines);
    passLogger.setLevel(levelBefore);
  }

  @Test
  void a_pass_that_listed_nothing_is_a_debug_line_and_one_that_listed_orders_an_info_line() {
    try (Harness h = new Harness(TestDatabases.Kind.H2)) {
      App app = h.app();
      Drafts drafts = new Drafts(3);
      for (int i = 0; i < 3; i++) {
        h.sim.shop().create(drafts.next());
        h.advance(Duration.ofSeconds(20));
      }
      h.advance(Duration.ofMinutes(5));
      app.sync().once();
      h.advance(Duration.ofMinutes(5));
      app.sync().once();

      assertThat(lines.list)
          .extracting(ILoggingEvent::getLevel)
          .containsExactly(Level.INFO, Level.DEBUG);
      assertThat(lines.list.get(0).getFormattedMessage()).contains("listed 3, written 3");
      assertThat(lines.list.get(1).getFormattedMessage()).contains("listed 0, written 0");
    }
  }
}
