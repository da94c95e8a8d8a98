package dev.ordersync.db;

import com.zaxxer.hikari.util.DriverDataSource;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.time.Duration;
import java.util.Properties;
import java.util.Set;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the pool opens its connections: once order-sync runs, a database that refuses connections
 * (stopped, restarting) is asked again every {@link #RETRY_EVERY} until it answers or the pool
 * closes. The pool's own retry doubles its pause up to 5 seconds (HikariCP's connection creator; no
 * setting bounds it), so after a PostgreSQL restart order-sync stood still for up to 5 seconds with
 * the database ready. Before {@link #waitWhenRefused()} a refusal fails at once: a wrong host or
 * port at start-up is told to the operator without delay.
 */
final class PatientConnections implements DataSource {
  static final Duration RETRY_EVERY = Duration.ofMillis(100);

  /** What a database that is down or starting answers: unable to connect, link failed, not now. */
  private static final Set<String> REFUSED = Set.of("08001", "08006", "57P03");

  private static final Logger log = LoggerFactory.getLogger(PatientConnections.class);

  /** A pause between two attempts; a test passes one that does not sleep. */
  interface Pause {
    void pause() throws InterruptedException;
  }

  static final Pause SLEEP = () -> Thread.sleep(RETRY_EVERY.toMillis());

  private final DataSource driver;
  private final Pause pause;
  private volatile boolean patient;
  private volatile boolean closed;

  PatientConnections(DataSource driver, Pause pause) {
    this.driver = driver;
    this.pause = pause;
  }

  /** Connections to {@code jdbcUrl} through its JDBC driver, pausing {@link #RETRY_EVERY}. */
  static PatientConnections to(String jdbcUrl) {
    return new PatientConnections(
        new DriverDataSource(jdbcUrl, null, new Properties(), null, null), SLEEP);
  }

  /** From now on a refused connection is asked for again instead of failing. */
  void waitWhenRefused() {
    patient = true;
  }

  /** Stops waiting: the pool is closing. */
  void close() {
    closed = true;
  }

  @Override
  public Connection getConnection() throws SQLException {
    return connect(driver::getConnection);
  }

  @Override
  public Connection getConnection(String user, String password) throws SQLException {
    return connect(() -> driver.getConnection(user, password));
  }

  private interface Attempt {
    Connection connect() throws SQLException;
  }

  private Connection connect(Attempt attempt) throws SQLException {
    long firstRefusal = 0;
    while (true) {
      try {
        Connection c = attempt.connect();
        if (firstRefusal != 0) {
          log.info(
              "The database accepts connections again, after {} s",
              String.format("%.1f", (System.nanoTime() - firstRefusal) / 1e9));
        }
        return c;
      } catch (SQLException e) {
        if (!patient || closed || !REFUSED.contains(e.getSQLState())) {
          throw e;
        }
        if (firstRefusal == 0) {
          firstRefusal = System.nanoTime();
          log.warn(
              "The database refuses connections (SQLSTATE {}); asking again every {} ms until it"
                  + " answers",
              e.getSQLState(),
              RETRY_EVERY.toMillis());
        }
        try {
          pause.pause();
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          throw e;
        }
      }
    }
  }

  @Override
  public PrintWriter getLogWriter() throws SQLException {
    return driver.getLogWriter();
  }

  @Override
  public void setLogWriter(PrintWriter out) throws SQLException {
    driver.setLogWriter(out);
  }

  @Override
  public void setLoginTimeout(int seconds) throws SQLException {
    driver.setLoginTimeout(seconds);
  }

  @Override
  public int getLoginTimeout() throws SQLException {
    return driver.getLoginTimeout();
  }

  @Override
  public java.util.logging.Logger getParentLogger() throws SQLFeatureNotSupportedException {
    return driver.getParentLogger();
  }

  @Override
  public <T> T unwrap(Class<T> type) throws SQLException {
    if (type.isInstance(this)) {
      return type.cast(this);
    }
    return driver.unwrap(type);
  }

  @Override
  public boolean isWrapperFor(Class<?> type) throws SQLException {
    return type.isInstance(this) || driver.isWrapperFor(type);
  }
}
