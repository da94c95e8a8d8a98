package dev.ordersync.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.Reader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.Collections;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11, finding 1: the embedded database is its owner's. Its server for a second process
 * listens on loopback only and admits only the holder of its password, which lives in a file only
 * the owner can read; its files are the owner's alone.
 */
class PrivateDatabaseTest {
  @TempDir Path dir;

  @Test
  void while_run_holds_it_a_second_process_gets_in_with_the_owners_login_only() throws Exception {
    String url = "jdbc:h2:file:" + dir.resolve("db");
    try (Database db = Database.open(url, 2)) {
      Properties login = credentials();
      String user = login.getProperty("user");
      String password = login.getProperty("password");
      assertThat(second(Dialect.H2.withRequiredSettings(url), user, password))
          .as("held by another process and not served")
          .startsWith("REFUSED");

      db.serveOtherProcesses(); // as `run` does
      Properties served = properties("db.server");
      String viaServer =
          "jdbc:h2:tcp://127.0.0.1:"
              + served.getProperty("port")
              + "/"
              + served.getProperty("key")
              + Dialect.sessionSettings();
      assertThat(second(viaServer, user, password)).isEqualTo("CONNECTED");
      assertThat(second(viaServer, "", "")).startsWith("REFUSED");
      assertThat(second(viaServer, user, "guess")).startsWith("REFUSED");
      assertThat(
              second(
                  "jdbc:h2:tcp://127.0.0.1:" + served.getProperty("port") + "/" + dir.resolve("db"),
                  user,
                  password))
          .as("the file's path instead of the key")
          .startsWith("REFUSED");
      try (Database cli = Database.open(url, 1)) {
        assertThat(cli.isReady()).as("order-sync's own commands find the server").isTrue();
      }
    }
    assertThat(Files.exists(dir.resolve("db.server"))).as("removed at close").isFalse();
  }

  @Test
  void the_server_for_other_processes_listens_on_loopback_only() throws Exception {
    String url = "jdbc:h2:file:" + dir.resolve("db");
    try (Database db = Database.open(url, 2)) {
      db.serveOtherProcesses();
      int port = Integer.parseInt(properties("db.server").getProperty("port"));
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 2000);
      }
      for (InetAddress other : nonLoopbackAddresses()) {
        assertThat(reachable(other, port)).as("port %d on %s", port, other).isFalse();
      }
    }
  }

  @Test
  void the_files_are_the_owners_alone_and_no_trace_file_quotes_values() throws Exception {
    String url = "jdbc:h2:file:" + dir.resolve("db");
    try (Database db = Database.open(url, 2)) {
      assertThatThrownBy(
          () ->
              db.inTransaction(
                  c ->
                      c.getConnection()
                          .createStatement()
                          .executeUpdate(
                              "INSERT INTO shops (domain) VALUES ('" + "x".repeat(300) + "')")));
      db.serveOtherProcesses();
    }
    try (Stream<Path> files = Files.list(dir)) {
      List<Path> all = files.toList();
      assertThat(all)
          .extracting(p -> p.getFileName().toString())
          .contains("db.mv.db", "db.credentials")
          .noneMatch(n -> n.endsWith(".trace.db"));
      for (Path f : all) {
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f)))
            .as(f.toString())
            .isEqualTo("rw-------");
      }
    }
  }

  @Test
  void an_earlier_database_without_a_password_gets_one() throws Exception {
    String url = "jdbc:h2:file:" + dir.resolve("old");
    try (Connection c = DriverManager.getConnection(url, "", "")) {
      c.createStatement().execute("CREATE TABLE legacy (x INT)");
    }
    try (Database db = Database.open(url, 2)) {
      assertThat(db.isReady()).isTrue();
    }
    assertThat(Files.exists(dir.resolve("old.credentials"))).isTrue();
    assertThat(second(Dialect.H2.withRequiredSettings(url), "", "")).startsWith("REFUSED");
  }

  @Test
  void every_form_of_password_in_a_url_is_masked() {
    assertThat(Database.redact("jdbc:postgresql://u:SuperSecret123@db.internal/oms"))
        .doesNotContain("SuperSecret123")
        .contains("u:***@db.internal");
    assertThat(Database.redact("jdbc:postgresql://db/oms?user=u&password=SuperSecret123&ssl=1"))
        .doesNotContain("SuperSecret123")
        .contains("ssl=1");
    assertThat(Database.redact("jdbc:h2:file:/x/db;USER=a;PASSWORD=SuperSecret123;MODE=X"))
        .doesNotContain("SuperSecret123")
        .contains("MODE=X");
    assertThatThrownBy(() -> Database.open("jdbc:postgresql://u:SuperSecret123@127.0.0.1:1/db", 1))
        .isInstanceOf(DatabaseException.class)
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("SuperSecret123"));
  }

  /** A commit has reached the file when it returns: a process killed right after loses nothing. */
  @Test
  void what_a_process_committed_before_it_was_killed_is_there() throws Exception {
    String url = "jdbc:h2:file:" + dir.resolve("db");
    Process p =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                KilledAfterCommits.class.getName(),
                url,
                "50")
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(out).contains("COMMITTED 50");
    try (Database db = Database.open(url, 2)) {
      int rows =
          db.read(
              h ->
                  h.createQuery("SELECT COUNT(*) FROM order_tombstones")
                      .mapTo(Integer.class)
                      .one());
      assertThat(rows).isEqualTo(50);
    }
  }

  private Properties credentials() throws IOException {
    return properties("db.credentials");
  }

  private Properties properties(String file) throws IOException {
    Properties p = new Properties();
    try (Reader r = Files.newBufferedReader(dir.resolve(file))) {
      p.load(r);
    }
    return p;
  }

  private static String second(String url, String user, String password) throws Exception {
    Process p =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                SecondProcess.class.getName(),
                url,
                user,
                password)
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes()).trim();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return out.lines().reduce((a, b) -> b).orElse("");
  }

  private static List<InetAddress> nonLoopbackAddresses() throws IOException {
    return Collections.list(NetworkInterface.getNetworkInterfaces()).stream()
        .flatMap(NetworkInterface::inetAddresses)
        .filter(a -> !a.isLoopbackAddress())
        .toList();
  }

  private static boolean reachable(InetAddress address, int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(address, port), 1000);
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
