package dev.ordersync.testing;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Fresh databases for tests: H2 in memory, or a new database in a real PostgreSQL that the first
 * test to need one starts (embedded, no Docker) and the JVM stops on exit.
 */
public final class TestDatabases {
  public enum Kind {
    H2,
    POSTGRES
  }

  private static final AtomicInteger counter = new AtomicInteger();
  private static EmbeddedPostgres postgres;

  private TestDatabases() {}

  public static String fresh(Kind kind) {
    return switch (kind) {
      case H2 ->
          "jdbc:h2:mem:t" + UUID.randomUUID().toString().replace("-", "") + ";DB_CLOSE_DELAY=-1";
      case POSTGRES -> freshPostgres();
    };
  }

  private static synchronized String freshPostgres() {
    try {
      if (postgres == null) {
        postgres =
            EmbeddedPostgres.builder()
                // like db-scheduler's tests: a non-UTC session zone flushes out time-zone bugs
                .setServerConfig("timezone", "America/Los_Angeles")
                .start();
        EmbeddedPostgres pg = postgres;
        Runtime.getRuntime()
            .addShutdownHook(
                new Thread(
                    () -> {
                      try {
                        pg.close();
                      } catch (IOException ignored) {
                        // exiting anyway
                      }
                    }));
      }
      String name = "t" + counter.incrementAndGet();
      try (Connection c = postgres.getPostgresDatabase().getConnection();
          Statement st = c.createStatement()) {
        st.execute("CREATE DATABASE " + name);
      }
      return postgres.getJdbcUrl("postgres", name);
    } catch (IOException e) {
      throw new UncheckedIOException("could not start the embedded PostgreSQL", e);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }
}
