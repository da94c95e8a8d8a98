package dev.ordersync.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.pool.HikariPool;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;

/**
 * The order store's database: a pool, the migrations, and transactions. Takes a plain JDBC URL
 * (H2 or PostgreSQL) and adds the settings order-sync needs itself.
 */
public final class Database implements AutoCloseable {
  /** SQLSTATEs after which a transaction is simply run again. */
  private static final java.util.Set<String> RETRYABLE = java.util.Set.of(
      "23505", // unique violation: two writers inserted the same new order at once
      "40001", // serialization failure
      "40P01"); // deadlock detected
  private static final int MAX_TX_ATTEMPTS = 5;

  private final HikariDataSource pool;
  private final Dialect dialect;
  private final String displayUrl;

  private Database(HikariDataSource pool, Dialect dialect, String displayUrl) {
    this.pool = pool;
    this.dialect = dialect;
    this.displayUrl = displayUrl;
  }

  /** The embedded default: an H2 file database under {@code ./data/}. */
  public static String defaultUrl(Path dataDir) {
    return "jdbc:h2:file:" + dataDir.toAbsolutePath().resolve("order-sync");
  }

  /** Opens the database and applies the migrations; a clear {@link DatabaseException} if not. */
  public static Database open(String jdbcUrl, int poolSize) {
    Dialect dialect = Dialect.of(jdbcUrl);
    String url = dialect.withRequiredSettings(jdbcUrl);
    String shown = redact(jdbcUrl);
    HikariConfig cfg = new HikariConfig();
    cfg.setJdbcUrl(url);
    cfg.setMaximumPoolSize(poolSize);
    cfg.setMinimumIdle(1);
    cfg.setPoolName("order-sync");
    cfg.setConnectionTimeout(10_000);
    cfg.setInitializationFailTimeout(1);
    cfg.setAutoCommit(true);
    HikariDataSource ds;
    try {
      ds = new HikariDataSource(cfg);
    } catch (HikariPool.PoolInitializationException e) {
      throw new DatabaseException("Cannot open the database at " + shown + ": "
          + rootMessage(e) + ". " + dialect.hint(), e);
    }
    Database db = new Database(ds, dialect, shown);
    try {
      Flyway.configure().dataSource(ds).locations("classpath:db/migration").load().migrate();
    } catch (FlywayException e) {
      db.close();
      throw new DatabaseException("Cannot bring the database at " + shown
          + " up to date: " + rootMessage(e), e);
    }
    return db;
  }

  public DataSource dataSource() {
    return pool;
  }

  public Dialect dialect() {
    return dialect;
  }

  public String displayUrl() {
    return displayUrl;
  }

  /** Whether the database answers and the migrations are applied (for {@code /readyz}). */
  public boolean isReady() {
    try (Connection c = pool.getConnection();
        var st = c.createStatement();
        var rs = st.executeQuery("SELECT COUNT(*) FROM sync_checkpoints")) {
      return rs.next();
    } catch (SQLException e) {
      return false;
    }
  }

  public interface TxWork<T> {
    T run(Connection c) throws SQLException;
  }

  /**
   * Runs {@code work} in one transaction: committed when it returns, rolled back when it throws.
   * Run again (up to 5 times) after a conflict another writer caused.
   */
  public <T> T inTransaction(TxWork<T> work) {
    SQLException last = null;
    for (int attempt = 1; attempt <= MAX_TX_ATTEMPTS; attempt++) {
      try (Connection c = pool.getConnection()) {
        c.setAutoCommit(false);
        boolean committed = false;
        try {
          T result = work.run(c);
          c.commit();
          committed = true;
          return result;
        } finally {
          // Roll back on anything, Errors included: setAutoCommit(true) would otherwise commit
          // the half-done transaction.
          if (!committed) {
            rollbackQuietly(c);
          }
          c.setAutoCommit(true);
        }
      } catch (SQLException e) {
        if (e.getSQLState() == null || !RETRYABLE.contains(e.getSQLState())) {
          throw new DatabaseException("Database error on " + displayUrl + ": "
              + SqlErrors.safeMessage(e), e);
        }
        last = e;
      }
    }
    throw new DatabaseException("Database conflict persisted after " + MAX_TX_ATTEMPTS
        + " attempts on " + displayUrl + ": " + SqlErrors.safeMessage(last), last);
  }

  /** A read outside any explicit transaction. */
  public <T> T read(TxWork<T> work) {
    try (Connection c = pool.getConnection()) {
      return work.run(c);
    } catch (SQLException e) {
      throw new DatabaseException("Database error on " + displayUrl + ": "
          + SqlErrors.safeMessage(e), e);
    }
  }

  private static void rollbackQuietly(Connection c) {
    try {
      c.rollback();
    } catch (SQLException ignored) {
      // the connection is gone; the transaction died with it
    }
  }

  /** A message cut to fit the VARCHAR(4000) error and reason columns; null stays null. */
  public static String fitMessage(String message) {
    return message == null || message.length() <= 3_900 ? message : message.substring(0, 3_900);
  }

  static String redact(String url) {
    return url.replaceAll("(?i)(password=)[^&;]*", "$1***");
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
  }

  @Override
  public void close() {
    pool.close();
  }
}
