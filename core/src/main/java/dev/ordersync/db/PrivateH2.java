package dev.ordersync.db;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Base64;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Stream;
import org.h2.tools.Server;

/**
 * An embedded H2 file database kept to its owner. Its files are the owner's alone (0600; a
 * directory order-sync creates is 0700). It has a password, random, kept in {@code
 * <name>.credentials} beside it (0600); an earlier order-sync's database, which had an empty
 * password, gets one the first time it is opened.
 *
 * <p>While {@code run} holds the file, other order-sync processes reach it through a TCP server
 * that {@code run} starts on loopback only, for this one database only (H2's {@code -key}: a random
 * name the server maps to the file), admitting only the database's login. Its port and key are in
 * {@code <name>.server} (0600). H2's own AUTO_SERVER does the same, but listens on every interface
 * and cannot be combined with closing the database after the service's work rather than in H2's
 * shutdown hook.
 */
final class PrivateH2 {
  static final String USER = "ORDER_SYNC";
  private static final Set<PosixFilePermission> OWNER_ONLY =
      PosixFilePermissions.fromString("rw-------");
  private static final Set<PosixFilePermission> OWNER_ONLY_DIR =
      PosixFilePermissions.fromString("rwx------");

  record Login(String user, String password) {}

  /** Where {@code run} serves the database to other processes. */
  record Served(int port, String key) {
    String url(String settings) {
      return "jdbc:h2:tcp://127.0.0.1:" + port + "/" + key + settings;
    }
  }

  private PrivateH2() {}

  /** The file a URL names, without H2's suffixes; null for memory, remote or foreign URLs. */
  static Path basePath(String url) {
    String upper = url.toUpperCase(Locale.ROOT);
    if (!upper.startsWith("JDBC:H2:")
        || upper.startsWith("JDBC:H2:MEM:")
        || upper.startsWith("JDBC:H2:TCP:")
        || upper.startsWith("JDBC:H2:SSL:")) {
      return null;
    }
    String rest = url.substring("jdbc:h2:".length());
    if (rest.toLowerCase(Locale.ROOT).startsWith("file:")) {
      rest = rest.substring("file:".length());
    }
    int semicolon = rest.indexOf(';');
    String path = semicolon < 0 ? rest : rest.substring(0, semicolon);
    if (path.startsWith("~")) {
      path = System.getProperty("user.home") + path.substring(1);
    }
    return Path.of(path).toAbsolutePath();
  }

  /** Whether the URL names its own user or password (then those are the operator's). */
  static boolean hasOwnLogin(String url) {
    String upper = url.toUpperCase(Locale.ROOT);
    return upper.contains(";USER=") || upper.contains(";PASSWORD=");
  }

  /**
   * The login for the database at {@code base}: read from its credentials file, or made for a new
   * database, or set on an earlier order-sync's database that had none.
   */
  static Login prepare(Path base, String url) {
    Path dir = base.getParent();
    Path credentials = base.resolveSibling(base.getFileName() + ".credentials");
    try {
      if (!Files.isDirectory(dir)) {
        Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(OWNER_ONLY_DIR));
      }
      if (Files.exists(credentials)) {
        return read(credentials);
      }
      boolean existing = Files.exists(base.resolveSibling(base.getFileName() + ".mv.db"));
      Login login = new Login(existing ? "" : USER, newPassword());
      try {
        write(credentials, login);
      } catch (FileAlreadyExistsException raced) {
        return read(credentials); // another process made it first
      }
      if (existing) {
        setPassword(url, login.password());
      }
      return login;
    } catch (IOException e) {
      throw new DatabaseException(
          "Cannot open the database at "
              + Database.redact(url)
              + ": its directory "
              + dir
              + " cannot be created or written ("
              + e.getClass().getSimpleName()
              + "). Check that it exists and is writable by this user",
          e);
    }
  }

  /** Leaves the database's files, and a data directory order-sync owns, to their owner. */
  static void restrict(Path base, boolean ownDirectory) {
    String prefix = base.getFileName().toString() + ".";
    try {
      if (ownDirectory) {
        Files.setPosixFilePermissions(base.getParent(), OWNER_ONLY_DIR);
      }
      try (Stream<Path> files = Files.list(base.getParent())) {
        for (Path f : files.filter(p -> p.getFileName().toString().startsWith(prefix)).toList()) {
          Files.setPosixFilePermissions(f, OWNER_ONLY);
        }
      }
    } catch (IOException | UnsupportedOperationException e) {
      // not a POSIX file system, or a file H2 just removed: nothing more can be done here
    }
  }

  /** The server {@code run} announced for this database, if any. */
  static Optional<Served> served(Path base) {
    Path file = serverFile(base);
    if (!Files.exists(file)) {
      return Optional.empty();
    }
    Properties p = new Properties();
    try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      p.load(r);
      return Optional.of(new Served(Integer.parseInt(p.getProperty("port")), p.getProperty("key")));
    } catch (IOException | RuntimeException e) {
      return Optional.empty(); // half written, or removed meanwhile: not served
    }
  }

  /** Serves the open database to other local processes until the returned handle is closed. */
  static AutoCloseable serve(Path base) {
    String key = "order-sync-" + newPassword();
    Server server;
    try {
      server =
          Server.createTcpServer(
                  "-tcpPort", "0", "-ifExists", "-tcpDaemon", "-key", key, base.toString())
              .start();
    } catch (SQLException e) {
      throw new DatabaseException(
          "Cannot serve the database to other order-sync commands: " + e.getMessage(), e);
    }
    Path file = serverFile(base);
    try {
      Files.deleteIfExists(file);
      Files.createFile(file, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
      Properties p = new Properties();
      p.setProperty("port", String.valueOf(server.getPort()));
      p.setProperty("key", key);
      try (Writer w =
          Files.newBufferedWriter(
              file, StandardCharsets.UTF_8, StandardOpenOption.TRUNCATE_EXISTING)) {
        p.store(w, "order-sync run serves its database here, to this user's other commands");
      }
    } catch (IOException e) {
      server.stop();
      throw new DatabaseException("Cannot write " + file + ": " + e.getMessage(), e);
    }
    return () -> {
      server.stop();
      try {
        Files.deleteIfExists(file);
      } catch (IOException ignored) {
        // the next run writes it anew
      }
    };
  }

  private static Path serverFile(Path base) {
    return base.resolveSibling(base.getFileName() + ".server");
  }

  private static void setPassword(String url, String password) {
    try (Connection c = DriverManager.getConnection(url, "", "");
        Statement st = c.createStatement()) {
      st.execute("ALTER USER \"\" SET PASSWORD '" + password + "'");
    } catch (SQLException e) {
      throw new DatabaseException(
          "The database at "
              + Database.redact(url)
              + " already has a "
              + "password that order-sync does not know: give it in the URL (;USER=...;PASSWORD=...)"
              + " or, better, as ${ENV_VAR} in the config file",
          e);
    }
  }

  private static String newPassword() {
    byte[] random = new byte[24];
    new SecureRandom().nextBytes(random);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(random);
  }

  private static Login read(Path file) throws IOException {
    Properties p = new Properties();
    try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      p.load(r);
    }
    return new Login(p.getProperty("user", USER), p.getProperty("password", ""));
  }

  private static void write(Path file, Login login) throws IOException {
    Files.createFile(file, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
    Properties p = new Properties();
    p.setProperty("user", login.user());
    p.setProperty("password", login.password());
    try (Writer w =
        Files.newBufferedWriter(
            file, StandardCharsets.UTF_8, StandardOpenOption.TRUNCATE_EXISTING)) {
      p.store(
          w,
          "order-sync: the login of the embedded database beside this file. Keep it "
              + "private (0600).");
    }
  }
}
