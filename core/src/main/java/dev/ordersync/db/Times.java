package dev.ordersync.db;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.argument.AbstractArgumentFactory;
import org.jdbi.v3.core.argument.Argument;
import org.jdbi.v3.core.config.ConfigRegistry;

/**
 * Instants in and out of {@code TIMESTAMP WITH TIME ZONE} columns, as UTC offsets: a {@code
 * java.sql.Timestamp} would pass through the JVM's and the session's time zones (the PostgreSQL of
 * the tests runs in America/Los_Angeles to catch exactly that).
 */
public final class Times {
  private Times() {}

  /** A TIMESTAMP WITH TIME ZONE column as an Instant; null stays null. */
  public static Instant instant(ResultSet rs, String column) throws SQLException {
    OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
    return t == null ? null : t.toInstant();
  }

  public static Instant instant(ResultSet rs, int column) throws SQLException {
    OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
    return t == null ? null : t.toInstant();
  }

  static void register(Jdbi jdbi) {
    jdbi.registerArgument(
        new AbstractArgumentFactory<Instant>(Types.TIMESTAMP_WITH_TIMEZONE) {
          @Override
          protected Argument build(Instant value, ConfigRegistry config) {
            return (position, statement, ctx) ->
                statement.setObject(position, value.atOffset(ZoneOffset.UTC));
          }
        });
    jdbi.registerColumnMapper(Instant.class, (rs, column, ctx) -> instant(rs, column));
  }
}
