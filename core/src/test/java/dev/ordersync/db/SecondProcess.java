package dev.ordersync.db;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

/**
 * Another process on the same machine, for PrivateDatabaseTest: tries to open an H2 URL with a user
 * and a password and prints what happened.
 */
public final class SecondProcess {
  private SecondProcess() {}

  public static void main(String[] args) {
    try (Connection c = DriverManager.getConnection(args[0], args[1], args[2])) {
      c.createStatement().executeQuery("SELECT COUNT(*) FROM orders").close();
      System.out.println("CONNECTED");
    } catch (SQLException e) {
      System.out.println("REFUSED " + e.getSQLState());
    }
  }
}
