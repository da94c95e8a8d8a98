package dev.ordersync.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.Layout;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import dev.ordersync.testing.TestDatabases;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The product's log (its logback.xml, as `run` uses it) says a lost database connection in one
 * line, and keeps the stack trace of anything else.
 */
class ConnectionLossConverterTest {

  private Layout<ILoggingEvent> layout;
  private LoggerContext context;

  @BeforeEach
  @SuppressWarnings("unchecked")
  void the_products_log_configuration() throws Exception {
    context = new LoggerContext();
    JoranConfigurator configurator = new JoranConfigurator();
    configurator.setContext(context);
    configurator.doConfigure(getClass().getResource("/logback.xml"));
    OutputStreamAppender<ILoggingEvent> stderr =
        (OutputStreamAppender<ILoggingEvent>)
            context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).getAppender("STDERR");
    layout = ((LayoutWrappingEncoder<ILoggingEvent>) stderr.getEncoder()).getLayout();
  }

  @Test
  void a_connection_postgresql_terminated_is_one_line_without_a_stack_trace() throws Exception {
    String url = TestDatabases.fresh(TestDatabases.Kind.POSTGRES);
    SQLException terminated;
    try (Connection victim = DriverManager.getConnection(url);
        Connection admin = DriverManager.getConnection(url);
        Statement st = admin.createStatement()) {
      st.execute(
          "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
              + "WHERE datname = current_database() AND pid <> pg_backend_pid()");
      terminated =
          catchThrowableOfType(
              () -> victim.createStatement().execute("SELECT 1"), SQLException.class);
    }
    assertThat(terminated.getSQLState()).isEqualTo("57P01");

    String line =
        log(
            "com.zaxxer.hikari.pool.ProxyConnection",
            Level.WARN,
            "order-sync - Connection marked as broken because of SQLSTATE(57P01), ErrorCode(0)",
            terminated);

    assertThat(line)
        .endsWith(
            "ProxyConnection - order-sync - Connection marked as broken because of "
                + "SQLSTATE(57P01), ErrorCode(0)\n"
                + "    the connection to the database was lost or refused (SQLSTATE 57P01)\n")
        .doesNotContain("\tat ");
  }

  @Test
  void a_loss_behind_other_failures_is_found_in_their_causes_and_suppressed_ones() {
    RuntimeException rollback =
        new RuntimeException(
            "Failed to rollback.", new SQLException("Connection is closed", "08003"));
    rollback.addSuppressed(new RuntimeException(new SQLException("FATAL: terminating", "57P01")));

    String line =
        log(
            "com.github.kagkarlsson.scheduler.RunUntilShutdown",
            Level.ERROR,
            "Unhandled exception. Will keep running.",
            rollback);

    assertThat(line.lines()).hasSize(2);
    assertThat(line)
        .contains("the connection to the database was lost or refused (SQLSTATE 08003)");
  }

  @Test
  void any_other_failure_keeps_its_stack_trace() {
    assertThat(log("x", Level.ERROR, "broke", new IllegalStateException("a bug")))
        .contains("java.lang.IllegalStateException: a bug\n\tat ");
    assertThat(log("x", Level.WARN, "refused", new SQLException("duplicate key", "23505")))
        .contains("java.sql.SQLException: duplicate key\n\tat ");
  }

  @Test
  void a_line_without_a_failure_is_unchanged() {
    assertThat(log("dev.ordersync.sync.SyncPass", Level.INFO, "pass done", null))
        .endsWith("INFO  SyncPass - pass done\n");
  }

  private String log(String logger, Level level, String message, Throwable failure) {
    return layout.doLayout(
        new LoggingEvent(
            getClass().getName(), context.getLogger(logger), level, message, failure, null));
  }
}
