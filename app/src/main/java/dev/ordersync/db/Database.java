package dev.ordersync.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.pool.HikariPool;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
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
  static {
    // H2's server for a second process (AUTO_SERVER) listens on every interface unless told
    // otherwise; read by H2 once, before its first use
    if (System.getProperty("h2.bindAddress") == null) {
      System.setProperty("h2.bindAddress", "127.0.0.1");
    }
  }

  /** SQLSTATEs after which a transaction is simply run again. */
  private static final java.util.Set<String> RETRYABLE = java.util.Set.of(
      "23505", // unique violation: two writers inserted the same new order at once
      "40001", // serialization failure
      "40P01"); // deadlock detected
  private static final int MAX_TX_ATTEMPTS = 5;

  /** H2's code for a database file another process holds. */
  private static final int H2_DATABASE_IN_USE = 90020;

  private final HikariDataSource pool;
  private final Dialect dialect;
  private final String displayUrl;
  /** The embedded H2 file this process holds itself; null otherwise. */
  private final Path heldH2File;
  /** The URL as given, to mask its passwords in messages; never shown. */
  private final String givenUrl;
  private AutoCloseable served;

  private Database(HikariDataSource pool, Dialect dialect, String givenUrl, Path heldH2File) {
    this.pool = pool;
    this.givenUrl = givenUrl;
    this.dialect = dialect;
    this.displayUrl = redact(givenUrl);
    this.heldH2File = heldH2File;
  }

  /** Where the embedded default lives; a directory order-sync owns, so kept at 0700. */
  public static final Path DEFAULT_DIR = Path.of("data");

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
    Path h2File = dialect == Dialect.H2 ? PrivateH2.basePath(jdbcUrl) : null;
    boolean viaServer = false;
    if (h2File != null && !PrivateH2.hasOwnLogin(jdbcUrl)) {
      PrivateH2.Login login = PrivateH2.prepare(h2File, url);
      cfg.setUsername(login.user());
      cfg.setPassword(login.password());
      Optional<String> served = PrivateH2.served(h2File)
          .map(s -> s.url(Dialect.sessionSettings()))
          .filter(u -> answers(u, login));
      if (served.isPresent()) {
        cfg.setJdbcUrl(served.get()); // `run` holds the file: through its loopback server
        viaServer = true;
      }
    }
    cfg.setMaximumPoolSize(Math.max(2, poolSize)); // Flyway holds two at once
    cfg.setMinimumIdle(1);
    cfg.setPoolName("order-sync");
    cfg.setConnectionTimeout(10_000);
    cfg.setInitializationFailTimeout(1);
    cfg.setAutoCommit(true);
    HikariDataSource ds;
    try {
      ds = new HikariDataSource(cfg);
    } catch (HikariPool.PoolInitializationException e) {
      if (inUse(e)) {
        throw new DatabaseException("The database at " + shown + " is open in another "
            + "order-sync command; run this one when that one has finished (while `order-sync "
            + "run` holds it, the other commands reach it through run)", e);
      }
      throw new DatabaseException("Cannot open the database at " + shown + ": "
          + masked(rootMessage(e), jdbcUrl) + ". " + dialect.hint(), e);
    }
    if (h2File != null) {
      PrivateH2.restrict(h2File, h2File.getParent().equals(DEFAULT_DIR.toAbsolutePath()));
    }
    Database db = new Database(ds, dialect, jdbcUrl, viaServer ? null : h2File);
    try {
      Flyway.configure().dataSource(ds).locations("classpath:db/migration").load().migrate();
    } catch (FlywayException e) {
      db.close();
      throw new DatabaseException("Cannot bring the database at " + shown
          + " up to date: " + masked(rootMessage(e), jdbcUrl), e);
    }
    return db;
  }

  /**
   * Lets this user's other order-sync commands reach an embedded database this process holds
   * (for {@code run}), until {@link #close()}; nothing to do for any other database.
   */
  public synchronized void serveOtherProcesses() {
    if (heldH2File != null && served == null) {
      served = PrivateH2.serve(heldH2File);
    }
  }

  private static boolean answers(String url, PrivateH2.Login login) {
    try (Connection c = java.sql.DriverManager.getConnection(url, login.user(),
        login.password())) {
      return c.isValid(2);
    } catch (SQLException e) {
      return false;
    }
  }

  private static boolean inUse(Throwable e) {
    for (Throwable t = e; t != null && t != t.getCause(); t = t.getCause()) {
      if (t instanceof SQLException s && s.getErrorCode() == H2_DATABASE_IN_USE) {
        return true;
      }
    }
    return false;
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
              + masked(SqlErrors.safeMessage(e), givenUrl), e);
        }
        last = e;
      }
    }
    throw new DatabaseException("Database conflict persisted after " + MAX_TX_ATTEMPTS
        + " attempts on " + displayUrl + ": " + masked(SqlErrors.safeMessage(last), givenUrl), last);
  }

  /** A read outside any explicit transaction. */
  public <T> T read(TxWork<T> work) {
    try (Connection c = pool.getConnection()) {
      return work.run(c);
    } catch (SQLException e) {
      throw new DatabaseException("Database error on " + displayUrl + ": "
          + masked(SqlErrors.safeMessage(e), givenUrl), e);
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

  private static final java.util.regex.Pattern PASSWORD_PARAM =
      java.util.regex.Pattern.compile("(?i)password=([^&;]*)");
  private static final java.util.regex.Pattern USER_INFO =
      java.util.regex.Pattern.compile("//[^/@:?;]*:([^@/?;]*)@");

  /** A URL fit to show: every form of password in it masked. */
  public static String redact(String url) {
    return masked(url, url);
  }

  /** {@code text} with every password of {@code url} in it masked, wherever it appears. */
  static String masked(String text, String url) {
    String out = text;
    for (java.util.regex.Pattern p : List.of(PASSWORD_PARAM, USER_INFO)) {
      java.util.regex.Matcher m = p.matcher(url);
      while (m.find()) {
        if (!m.group(1).isEmpty()) {
          out = out.replace(m.group(1), "***");
        }
      }
    }
    return out;
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
  }

  /** Stops serving other processes, then closes the pool (and so an embedded database). */
  @Override
  public synchronized void close() {
    if (served != null) {
      try {
        served.close();
      } catch (Exception ignored) {
        // closing anyway
      }
      served = null;
    }
    pool.close();
  }
}
