package dev.ordersync.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.pool.HikariPool;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;

/**
 * The order store's database: a pool, the migrations, and transactions. Takes a plain JDBC URL (H2
 * or PostgreSQL) and adds the settings order-sync needs itself.
 */
public final class Database implements AutoCloseable {
  static {
    // H2's server for a second process (AUTO_SERVER) listens on every interface unless told
    // otherwise; read by H2 once, before its first use
    if (System.getProperty("h2.bindAddress") == null) {
      System.setProperty("h2.bindAddress", "127.0.0.1");
    }
  }

  /**
   * H2's lock timeout: two inserts waiting on each other are a deadlock H2 does not detect; it
   * waits out LOCK_TIMEOUT and fails one, which is then run again.
   */
  private static final String LOCK_TIMEOUT = "HYT00";

  /** SQLSTATEs after which a transaction is simply run again. */
  private static final java.util.Set<String> RETRYABLE =
      java.util.Set.of(
          "23505", // unique violation: two writers inserted the same new order at once
          "40001", // serialization failure
          "40P01", // deadlock detected
          LOCK_TIMEOUT);

  private static final int MAX_TX_ATTEMPTS = 5;

  /** H2's code for a database file another process holds. */
  private static final int H2_DATABASE_IN_USE = 90020;

  private final HikariDataSource pool;
  private final PatientConnections connections;
  private final Jdbi jdbi;
  private final String displayUrl;

  /** The embedded H2 file this process holds itself; null otherwise. */
  private final Path heldH2File;

  /** The URL as given, to mask its passwords in messages; never shown. */
  private final String givenUrl;

  private AutoCloseable served;

  private Database(
      HikariDataSource pool, PatientConnections connections, String givenUrl, Path heldH2File) {
    this.pool = pool;
    this.connections = connections;
    this.jdbi = Jdbi.create(pool);
    Times.register(jdbi);
    this.givenUrl = givenUrl;
    this.displayUrl = JdbcUrls.redact(givenUrl);
    this.heldH2File = heldH2File;
  }

  /** Where the embedded default lives; a directory order-sync owns, so kept at 0700. */
  public static final Path DEFAULT_DIR = Path.of("data");

  /** The embedded default: an H2 file database under {@code ./data/}. */
  public static String defaultUrl(Path dataDir) {
    return "jdbc:h2:file:" + dataDir.toAbsolutePath().resolve("order-sync");
  }

  /** The file an embedded (H2 file) database keeps its data in; empty for any other URL. */
  public static java.util.Optional<Path> embeddedFile(String jdbcUrl) {
    Path base = PrivateH2.basePath(jdbcUrl);
    return base == null
        ? java.util.Optional.empty()
        : java.util.Optional.of(base.resolveSibling(base.getFileName() + ".mv.db"));
  }

  /** Opens the database and applies the migrations; a clear {@link DatabaseException} if not. */
  public static Database open(String jdbcUrl, int poolSize) {
    Dialect dialect = Dialect.of(jdbcUrl);
    String url = dialect.withRequiredSettings(jdbcUrl);
    String shown = JdbcUrls.redact(jdbcUrl);
    HikariConfig cfg = new HikariConfig();
    String connectUrl = url;
    Path h2File = dialect == Dialect.H2 ? PrivateH2.basePath(jdbcUrl) : null;
    boolean viaServer = false;
    if (h2File != null && !PrivateH2.hasOwnLogin(jdbcUrl)) {
      PrivateH2.Login login = PrivateH2.prepare(h2File, url);
      cfg.setUsername(login.user());
      cfg.setPassword(login.password());
      Optional<String> served =
          PrivateH2.served(h2File)
              .map(s -> s.url(Dialect.sessionSettings()))
              .filter(u -> answers(u, login));
      if (served.isPresent()) {
        connectUrl = served.get(); // `run` holds the file: through its loopback server
        viaServer = true;
      }
    }
    PatientConnections connections = PatientConnections.to(connectUrl);
    cfg.setDataSource(connections);
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
        throw new DatabaseException(
            "The database at "
                + shown
                + " is open in another "
                + "order-sync command; run this one when that one has finished (while `order-sync "
                + "run` holds it, the other commands reach it through run)",
            e);
      }
      throw new DatabaseException(
          "Cannot open the database at "
              + shown
              + ": "
              + JdbcUrls.masked(rootMessage(e), jdbcUrl)
              + ". "
              + dialect.hint(),
          e);
    }
    if (h2File != null) {
      PrivateH2.restrict(h2File, h2File.getParent().equals(DEFAULT_DIR.toAbsolutePath()));
    }
    Database db = new Database(ds, connections, jdbcUrl, viaServer ? null : h2File);
    try {
      Flyway.configure().dataSource(ds).locations("classpath:db/migration").load().migrate();
    } catch (FlywayException e) {
      db.close();
      throw new DatabaseException(
          "Cannot bring the database at "
              + shown
              + " up to date: "
              + JdbcUrls.masked(rootMessage(e), jdbcUrl),
          e);
    }
    connections.waitWhenRefused();
    return db;
  }

  /**
   * Lets this user's other order-sync commands reach an embedded database this process holds (for
   * {@code run}), until {@link #close()}; nothing to do for any other database.
   */
  public synchronized void serveOtherProcesses() {
    if (heldH2File != null && served == null) {
      served = PrivateH2.serve(heldH2File);
    }
  }

  private static boolean answers(String url, PrivateH2.Login login) {
    try (Connection c = java.sql.DriverManager.getConnection(url, login.user(), login.password())) {
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

  public String displayUrl() {
    return displayUrl;
  }

  /** Whether the database answers and the migrations are applied (for {@code /readyz}). */
  /** Whether this is PostgreSQL (a commit is a round trip and a flush) rather than H2. */
  public boolean isPostgres() {
    return Dialect.of(givenUrl) == Dialect.POSTGRESQL;
  }

  public boolean isReady() {
    try (Handle h = jdbi.open()) {
      return h.createQuery("SELECT COUNT(*) FROM sync_checkpoints").mapTo(Integer.class).one() >= 0;
    } catch (JdbiException e) {
      return false;
    }
  }

  /** Work on one handle of the database; throws SQLException where JDBC is used directly. */
  public interface Work<T> {
    T run(Handle h) throws SQLException;
  }

  /**
   * Runs {@code work} in one transaction: committed when it returns, rolled back when it throws
   * (Errors included). Run again (up to 5 times) after a conflict another writer caused.
   */
  public <T> T inTransaction(Work<T> work) {
    SQLException last = null;
    for (int attempt = 1; attempt <= MAX_TX_ATTEMPTS; attempt++) {
      try (Handle h = jdbi.open()) {
        return h.inTransaction(work::run);
      } catch (SQLException | JdbiException e) {
        SQLException sql = SqlErrors.sqlCause(e);
        if (sql == null || sql.getSQLState() == null || !RETRYABLE.contains(sql.getSQLState())) {
          throw failure(e, sql);
        }
        last = sql;
        if (LOCK_TIMEOUT.equals(sql.getSQLState())) {
          apartFromTheOther();
        }
      }
    }
    throw new DatabaseException(
        "Database conflict persisted after "
            + MAX_TX_ATTEMPTS
            + " attempts on "
            + displayUrl
            + ": "
            + JdbcUrls.masked(SqlErrors.safeMessage(last), givenUrl),
        last);
  }

  /**
   * Both transactions of a cycle can time out at once; run again at the same instant they would
   * meet again. A random pause of up to 0.2 s lets one of them finish first.
   */
  private static void apartFromTheOther() {
    try {
      Thread.sleep(java.util.concurrent.ThreadLocalRandom.current().nextLong(1, 200));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DatabaseException("Interrupted while retrying a transaction", e);
    }
  }

  /** A read outside any explicit transaction. */
  public <T> T read(Work<T> work) {
    try (Handle h = jdbi.open()) {
      return work.run(h);
    } catch (SQLException | JdbiException e) {
      throw failure(e, SqlErrors.sqlCause(e));
    }
  }

  private DatabaseException failure(Exception e, SQLException sql) {
    String why = sql != null ? SqlErrors.safeMessage(sql) : rootMessage(e);
    return new DatabaseException(
        "Database error on " + displayUrl + ": " + JdbcUrls.masked(why, givenUrl), e);
  }

  /** A message cut to fit the VARCHAR(4000) error and reason columns; null stays null. */
  public static String fitMessage(String message) {
    return message == null || message.length() <= 3_900 ? message : message.substring(0, 3_900);
  }

  /** A URL fit to show: every form of password in it masked. */
  public static String redact(String url) {
    return JdbcUrls.redact(url);
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
    connections.close();
    pool.close();
  }
}
