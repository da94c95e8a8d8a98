package dev.ordersync.db;

/**
 * Another process, for PrivateDatabaseTest: commits rows one transaction each through order-sync's
 * own database settings, says so, and dies at once as under SIGKILL (no shutdown hook, no close).
 */
public final class KilledAfterCommits {
  private KilledAfterCommits() {}

  public static void main(String[] args) {
    Database db = Database.open(args[0], 2);
    int n = Integer.parseInt(args[1]);
    for (int i = 0; i < n; i++) {
      int k = i;
      db.inTransaction(
          h ->
              h.createUpdate(
                      "INSERT INTO order_tombstones (shop, id, deleted_at) "
                          + "VALUES ('a.myshopify.com', :id, CURRENT_TIMESTAMP)")
                  .bind("id", "gid://shopify/Order/" + k)
                  .execute());
    }
    System.out.println("COMMITTED " + n);
    System.out.flush();
    Runtime.getRuntime().halt(137);
  }
}
