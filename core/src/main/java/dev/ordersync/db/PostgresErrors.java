package dev.ordersync.db;

import java.sql.SQLException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

/**
 * The column PostgreSQL names in an error's structured fields: its column field, or the "column x"
 * of a COPY's context (whose value, after the name, is left out).
 */
final class PostgresErrors {
  private static final Pattern COPY_COLUMN = Pattern.compile("column ([a-z_]+)");

  private PostgresErrors() {}

  static String column(SQLException e) {
    for (Throwable t = e; t != null && t != t.getCause(); t = t.getCause()) {
      if (t instanceof PSQLException p && p.getServerErrorMessage() != null) {
        ServerErrorMessage m = p.getServerErrorMessage();
        if (m.getColumn() != null) {
          return m.getColumn();
        }
        Matcher copy = COPY_COLUMN.matcher(m.getWhere() == null ? "" : m.getWhere());
        return copy.find() ? copy.group(1) : null;
      }
    }
    return null;
  }
}
