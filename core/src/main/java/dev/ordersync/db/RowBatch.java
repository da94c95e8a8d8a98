package dev.ordersync.db;

import java.math.BigDecimal;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.jdbi.v3.core.Handle;

/**
 * A batched statement bound by position on the handle's connection, in its transaction: for the
 * store's inserts and updates of whole rows, thousands of values a page. Jdbi's per-value argument
 * lookup cost about a quarter of the H2 store path (profiled with JFR, issue 12); here each
 * column's type is known once. Instants are bound as UTC offsets, as {@link Times} binds them.
 */
public final class RowBatch implements AutoCloseable {
  private final PreparedStatement statement;
  private int rows;

  public RowBatch(Handle h, String sql) throws SQLException {
    this.statement = h.getConnection().prepareStatement(sql);
  }

  /** Binds {@code values} from position {@code first} (0-based), each as its column's type. */
  public RowBatch set(int first, Object[] values, List<Class<?>> types) throws SQLException {
    for (int k = 0; k < values.length; k++) {
      set(first + k, values[k], types.get(k));
    }
    return this;
  }

  /** Binds one value at {@code index} (0-based) as {@code type}; null as SQL NULL. */
  public RowBatch set(int index, Object value, Class<?> type) throws SQLException {
    int p = index + 1;
    if (value == null) {
      statement.setNull(p, sqlType(type));
    } else if (value instanceof String s) {
      statement.setString(p, s);
    } else if (value instanceof Instant t) {
      statement.setObject(p, t.atOffset(ZoneOffset.UTC));
    } else if (value instanceof BigDecimal d) {
      statement.setBigDecimal(p, d);
    } else if (value instanceof Long l) {
      statement.setLong(p, l);
    } else if (value instanceof Integer i) {
      statement.setInt(p, i);
    } else if (value instanceof Boolean b) {
      statement.setBoolean(p, b);
    } else {
      throw new IllegalArgumentException("no binding for " + value.getClass().getSimpleName());
    }
    return this;
  }

  public void add() throws SQLException {
    statement.addBatch();
    rows++;
  }

  /** Runs the batch; the rows each statement changed, in the order they were added. */
  public int[] execute() throws SQLException {
    return rows == 0 ? new int[0] : statement.executeBatch();
  }

  @Override
  public void close() throws SQLException {
    statement.close();
  }

  private static int sqlType(Class<?> type) {
    if (type == String.class) {
      return Types.VARCHAR;
    } else if (type == Instant.class) {
      return Types.TIMESTAMP_WITH_TIMEZONE;
    } else if (type == BigDecimal.class) {
      return Types.NUMERIC;
    } else if (type == Long.class) {
      return Types.BIGINT;
    } else if (type == Integer.class) {
      return Types.INTEGER;
    } else if (type == Boolean.class) {
      return Types.BOOLEAN;
    }
    throw new IllegalArgumentException("no SQL type for " + type.getSimpleName());
  }
}
