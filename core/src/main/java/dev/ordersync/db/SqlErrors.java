package dev.ordersync.db;

import java.sql.SQLException;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a database error means, said without the values in it: H2 quotes the value it refused and
 * PostgreSQL often does in its detail, and those values are customers' names, emails and notes.
 */
public final class SqlErrors {
  private static final Pattern H2_COLUMN = Pattern.compile("column \"([A-Za-z0-9_]+)");
  private static final Map<String, String> REASONS =
      Map.ofEntries(
          Map.entry("22001", "value too long"),
          Map.entry("22003", "number out of range"),
          Map.entry("22007", "invalid date or time"),
          Map.entry("22008", "date or time out of range"),
          Map.entry("22018", "value of the wrong type"),
          Map.entry("22021", "character not allowed"),
          Map.entry("22P02", "value of the wrong type"),
          Map.entry("22P05", "character the database cannot store"),
          Map.entry("23502", "required value missing"),
          Map.entry("23514", "value outside the allowed range"),
          Map.entry("54000", "value beyond a database limit"));

  private SqlErrors() {}

  /**
   * Whether the database refused one row's values (a data or constraint exception, a value beyond a
   * limit), so that the rows around it can be stored without it. A lost connection, a full disk, a
   * read-only database, a conflict between writers are not a row's fault.
   */
  public static boolean isOrderFault(SQLException e) {
    String state = state(e);
    if (state == null) {
      return false;
    }
    return state.startsWith("22")
        || (state.startsWith("23") && !state.equals("23505"))
        || state.startsWith("54");
  }

  /** The reason and the column when known, never the value: "email: value too long (22001)". */
  public static String describe(SQLException e) {
    String state = state(e);
    String reason = REASONS.getOrDefault(state, "the database refused a value");
    String column = column(e);
    return (column == null ? "" : column + ": ") + reason + " (SQLSTATE " + state + ")";
  }

  /** A database error's message fit to show, or its description when it may quote values. */
  public static String safeMessage(SQLException e) {
    String state = state(e);
    if (state != null
        && (state.startsWith("22") || state.startsWith("23") || state.startsWith("54"))) {
      return describe(e);
    }
    if (e.getErrorCode() == H2_READ_ONLY) {
      return "the database is read only: is its file writable by this user, and is the disk not "
          + "full or mounted read-only?";
    }
    String m = e.getMessage();
    String first = m == null ? e.getClass().getSimpleName() : m.lines().findFirst().orElse(m);
    // H2 ends its first line with "; SQL statement:" and puts the statement on the next
    int sql = first.indexOf("; SQL statement:");
    return sql > 0 ? first.substring(0, sql) : first;
  }

  /** H2's code for a write to a database opened (or fallen) read only. */
  private static final int H2_READ_ONLY = 90097;

  /** The SQLException behind a failure (a JDBC one, or one Jdbi wrapped); null when none. */
  public static SQLException sqlCause(Throwable e) {
    for (Throwable t = e; t != null && t != t.getCause(); t = t.getCause()) {
      if (t instanceof SQLException s) {
        return s;
      }
    }
    return null;
  }

  static String state(SQLException e) {
    for (Throwable t = e; t != null && t != t.getCause(); t = t.getCause()) {
      if (t instanceof SQLException s && s.getSQLState() != null) {
        return s.getSQLState();
      }
    }
    return e.getNextException() == null ? null : state(e.getNextException());
  }

  private static String column(SQLException e) {
    String m = e.getMessage();
    if (m != null) {
      Matcher h2 = H2_COLUMN.matcher(m);
      if (h2.find()) {
        return h2.group(1).toLowerCase(Locale.ROOT);
      }
    }
    return PostgresErrors.column(e);
  }
}
