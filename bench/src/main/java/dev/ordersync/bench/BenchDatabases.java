package dev.ordersync.bench;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The databases benchmarks run against: an H2 file and a real PostgreSQL 17, both local. */
final class BenchDatabases implements AutoCloseable {
  private final Path dir;
  private EmbeddedPostgres postgres;

  BenchDatabases() throws IOException {
    this.dir = Files.createTempDirectory("order-sync-bench");
  }

  String h2(String name) {
    return "jdbc:h2:file:" + dir.resolve(name);
  }

  String postgres(String name) throws Exception {
    if (postgres == null) {
      postgres = EmbeddedPostgres.builder().start();
    }
    try (var c = postgres.getPostgresDatabase().getConnection();
        var st = c.createStatement()) {
      st.execute("CREATE DATABASE " + name);
    }
    return postgres.getJdbcUrl("postgres", name);
  }

  @Override
  public void close() throws IOException {
    if (postgres != null) {
      postgres.close();
    }
  }
}
