package dev.ordersync.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.util.DriverDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.PrintWriter;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Once order-sync runs, a database that refuses connections is asked again until it answers, not
 * after the pool's pause of up to 5 seconds; anything else fails at once.
 */
class PatientConnectionsTest {

  private final AtomicInteger pauses = new AtomicInteger();

  @Test
  void a_refused_connection_is_asked_for_again_until_the_database_answers() throws Exception {
    Driver driver = new Driver("08001", "08001", "57P03");
    PatientConnections connections = new PatientConnections(driver, pauses::incrementAndGet);
    connections.waitWhenRefused();

    try (Connection c = connections.getConnection("order-sync", "secret")) {
      assertThat(c.isValid(1)).isTrue();
    }
    assertThat(driver.attempts).hasValue(4);
    assertThat(pauses).hasValue(3);
  }

  @Test
  void before_order_sync_runs_a_refusal_fails_at_once() {
    Driver driver = new Driver("08001");
    PatientConnections connections = new PatientConnections(driver, pauses::incrementAndGet);

    assertThatThrownBy(connections::getConnection)
        .isInstanceOf(SQLException.class)
        .extracting(e -> ((SQLException) e).getSQLState())
        .isEqualTo("08001");
    assertThat(driver.attempts).hasValue(1);
  }

  @Test
  void a_wrong_password_or_a_missing_database_fails_at_once() {
    for (String state : List.of("28P01", "3D000")) {
      Driver driver = new Driver(state);
      PatientConnections connections = new PatientConnections(driver, pauses::incrementAndGet);
      connections.waitWhenRefused();

      assertThatThrownBy(connections::getConnection)
          .extracting(e -> ((SQLException) e).getSQLState())
          .isEqualTo(state);
      assertThat(driver.attempts).hasValue(1);
    }
    assertThat(pauses).hasValue(0);
  }

  @Test
  void a_closing_pool_stops_the_waiting() {
    Driver driver = new Driver("08001", "08001", "08001");
    PatientConnections connections = new PatientConnections(driver, pauses::incrementAndGet);
    connections.waitWhenRefused();
    connections.close();

    assertThatThrownBy(connections::getConnection).isInstanceOf(SQLException.class);
    assertThat(driver.attempts).hasValue(1);
  }

  @Test
  void an_interrupted_wait_gives_up_and_keeps_the_interrupt() {
    Driver driver = new Driver("08001", "08001");
    PatientConnections connections =
        new PatientConnections(
            driver,
            () -> {
              throw new InterruptedException();
            });
    connections.waitWhenRefused();

    assertThatThrownBy(connections::getConnection).isInstanceOf(SQLException.class);
    assertThat(Thread.interrupted()).isTrue();
    assertThat(driver.attempts).hasValue(1);
  }

  @Test
  void a_stopped_postgresql_is_waited_for_and_reached_once_it_runs_again(@TempDir Path dir)
      throws Exception {
    int port = freePort();
    EmbeddedPostgres pg = postgres(dir, port);
    String url = pg.getJdbcUrl("postgres", "postgres");
    CountDownLatch refused = new CountDownLatch(1);
    PatientConnections connections =
        new PatientConnections(
            new DriverDataSource(url, null, new Properties(), null, null),
            () -> {
              refused.countDown();
              PatientConnections.SLEEP.pause();
            });
    connections.waitWhenRefused();
    try (Connection c = connections.getConnection()) {
      assertThat(c.isValid(1)).isTrue();
    }

    pg.close();
    CompletableFuture<Connection> waiting =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return connections.getConnection();
              } catch (SQLException e) {
                throw new IllegalStateException(e);
              }
            });
    waiting.whenComplete((c, e) -> refused.countDown()); // failed at once: no need to wait
    assertThat(refused.await(60, TimeUnit.SECONDS)).isTrue();
    assertThat(waiting).isNotDone();
    pg = postgres(dir, port);
    try (Connection c = waiting.get(60, TimeUnit.SECONDS);
        Statement st = c.createStatement()) {
      assertThat(st.execute("SELECT 1")).isTrue();
    } finally {
      pg.close();
    }
  }

  private static EmbeddedPostgres postgres(Path dir, int port) throws Exception {
    return EmbeddedPostgres.builder()
        .setDataDirectory(dir)
        .setCleanDataDirectory(false)
        .setPort(port)
        .start();
  }

  private static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  /** The JDBC driver of a database that answers with these SQLSTATEs first, then connects. */
  private static final class Driver implements DataSource {
    final AtomicInteger attempts = new AtomicInteger();
    private final Deque<String> refusals;

    Driver(String... refusals) {
      this.refusals = new ArrayDeque<>(List.of(refusals));
    }

    @Override
    public Connection getConnection() throws SQLException {
      attempts.incrementAndGet();
      String state = refusals.poll();
      if (state != null) {
        throw new SQLException("refused", state);
      }
      return DriverManager.getConnection("jdbc:h2:mem:");
    }

    @Override
    public Connection getConnection(String user, String password) throws SQLException {
      return getConnection();
    }

    @Override
    public PrintWriter getLogWriter() {
      return null;
    }

    @Override
    public void setLogWriter(PrintWriter out) {}

    @Override
    public void setLoginTimeout(int seconds) {}

    @Override
    public int getLoginTimeout() {
      return 0;
    }

    @Override
    public java.util.logging.Logger getParentLogger() {
      return java.util.logging.Logger.getGlobal();
    }

    @Override
    public <T> T unwrap(Class<T> type) throws SQLException {
      throw new SQLException("not a wrapper");
    }

    @Override
    public boolean isWrapperFor(Class<?> type) {
      return false;
    }
  }
}
