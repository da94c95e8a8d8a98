package dev.ordersync.db;

import ch.qos.logback.classic.pattern.ThrowableProxyConverter;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxy;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/**
 * The log's exceptions, with one line instead of a stack trace for a lost database connection. A
 * PostgreSQL restart is an expected failure: the pool and the scheduler each log the connections it
 * broke, which printed some 300 lines of stack traces (and one ERROR, "Unhandled exception") for
 * something the operator only needs told once. Every other exception keeps its stack trace.
 */
public final class ConnectionLossConverter extends ThrowableProxyConverter {
  @Override
  protected String throwableProxyToString(IThrowableProxy proxy) {
    if (proxy instanceof ThrowableProxy p) {
      String state = connectionLoss(p.getThrowable());
      if (state != null) {
        return "    the connection to the database was lost or refused (SQLSTATE " + state + ")\n";
      }
    }
    return super.throwableProxyToString(proxy);
  }

  /**
   * The SQLSTATE of a connection exception (class 08) or an operator's intervention (57P: the
   * server shutting down or starting) anywhere in the failure's causes and suppressed failures;
   * null when there is none.
   */
  static String connectionLoss(Throwable failure) {
    Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    Deque<Throwable> todo = new ArrayDeque<>(List.of(failure));
    while (!todo.isEmpty()) {
      Throwable t = todo.poll();
      if (!seen.add(t)) {
        continue;
      }
      if (t instanceof SQLException s) {
        String state = s.getSQLState();
        if (state != null && (state.startsWith("08") || state.startsWith("57P"))) {
          return state;
        }
        if (s.getNextException() != null) {
          todo.add(s.getNextException());
        }
      }
      if (t.getCause() != null) {
        todo.add(t.getCause());
      }
      Collections.addAll(todo, t.getSuppressed());
    }
    return null;
  }
}
