package dev.ordersync.db;

import java.util.Locale;

/** The two databases order-sync runs on, and the little that differs between them. */
public enum Dialect {
  H2 {
    @Override
    String withRequiredSettings(String url) {
      StringBuilder u = new StringBuilder(url);
      String upper = url.toUpperCase(Locale.ROOT);
      if (!upper.contains("MODE=")) {
        u.append(";MODE=PostgreSQL");
      }
      if (!upper.contains("DATABASE_TO_LOWER")) {
        u.append(";DATABASE_TO_LOWER=TRUE");
      }
      if (!upper.contains("DEFAULT_NULL_ORDERING")) {
        u.append(";DEFAULT_NULL_ORDERING=HIGH");
      }
      if (!upper.contains("DB_CLOSE_ON_EXIT") && !upper.contains("AUTO_SERVER")) {
        u.append(";DB_CLOSE_ON_EXIT=FALSE"); // closed by order-sync after its work has stopped
      }
      if (!upper.contains("TRACE_LEVEL_FILE")) {
        u.append(";TRACE_LEVEL_FILE=0"); // H2's trace file would quote refused values
      }
      boolean inFile =
          !upper.startsWith("JDBC:H2:MEM:")
              && !upper.startsWith("JDBC:H2:TCP:")
              && !upper.startsWith("JDBC:H2:SSL:");
      if (inFile && !upper.contains("WRITE_DELAY")) {
        // a commit reaches the file (the OS's cache) before it returns: H2's default keeps up to
        // a second of commits in memory, which a SIGKILL loses, acknowledged webhooks included
        u.append(";WRITE_DELAY=0");
      }
      if (!upper.contains("LOCK_TIMEOUT")) {
        // H2 gives up on a row lock after 1 s by default: a writer behind another's commit on a
        // busy machine then fails its batch (found by the store's model test under load)
        u.append(";LOCK_TIMEOUT=10000");
      }
      if (!upper.contains("CACHE_SIZE")) {
        u.append(";CACHE_SIZE=131072"); // 128 MB: a busy day's orders and payloads stay cached
      }
      return u.toString();
    }

    @Override
    String hint() {
      return "Check that the directory exists and is writable by this user";
    }
  },
  POSTGRESQL {
    @Override
    String withRequiredSettings(String url) {
      if (url.contains("reWriteBatchedInserts")) {
        return url;
      }
      return url + (url.contains("?") ? "&" : "?") + "reWriteBatchedInserts=true";
    }

    @Override
    String hint() {
      return "Check that PostgreSQL runs and listens there, and that the database, user and "
          + "password in the URL are right";
    }
  };

  abstract String withRequiredSettings(String url);

  /** The settings a connection to H2 through a server names (the rest are the file's). */
  static String sessionSettings() {
    return ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH";
  }

  abstract String hint();

  static Dialect of(String url) {
    if (url == null || !url.startsWith("jdbc:")) {
      throw new DatabaseException(
          "--db must be a JDBC URL such as jdbc:h2:file:/var/lib/order-sync"
              + "/db or jdbc:postgresql://host/db?user=...; got: "
              + url,
          null);
    }
    if (url.startsWith("jdbc:h2:")) {
      return H2;
    }
    if (url.startsWith("jdbc:postgresql:")) {
      return POSTGRESQL;
    }
    throw new DatabaseException(
        "Unsupported database URL "
            + Database.redact(url)
            + ": order-sync runs on H2 (jdbc:h2:...) and PostgreSQL (jdbc:postgresql:...)",
        null);
  }
}
