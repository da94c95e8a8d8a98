package dev.ordersync.bench;

import dev.ordersync.db.Database;
import dev.ordersync.orders.ChangeLog;
import dev.ordersync.orders.CopyRows;
import dev.ordersync.orders.FailedOrders;
import dev.ordersync.orders.FetchedOrder;
import dev.ordersync.orders.Order;
import dev.ordersync.orders.OrderBatches;
import dev.ordersync.orders.OrderRows;
import dev.ordersync.orders.OrderStore;
import dev.ordersync.orders.StorePath;
import java.io.IOException;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.postgresql.PGConnection;

/**
 * Store throughput: N orders (3 line items on average, a ~1 KB raw payload each) through the real
 * idempotent store path, in pages of 250 a transaction, into H2 and PostgreSQL; and in the same
 * run, against the same tables, the two bounds on PostgreSQL: COPY (the ceiling) and a plain
 * row-by-row insert committing each statement (the floor).
 */
public final class StoreBenchmark {
  private static final String SHOP = "bench.myshopify.com";

  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
    Report.machine();
    List<Order> orders = orders(n, new Random(42));
    try (BenchDatabases dbs = new BenchDatabases()) {
      storePath("H2 file", dbs.h2("store"), orders);
      // the bounds first: a later run meets the WAL and checkpoints of the earlier ones
      copy(dbs.postgres("copy"), orders, orders.size());
      copy(dbs.postgres("copy_pages"), orders, 250);
      storePath("PostgreSQL 17", dbs.postgres("store"), orders);
      storePathWithRefusals("PostgreSQL 17", dbs.postgres("refusals"), orders);
      rowByRow(dbs.postgres("rows"), orders.subList(0, Math.min(orders.size(), 10_000)));
    }
  }

  private static void storePath(String label, String url, List<Order> orders) {
    try (Database db = Database.open(url, 4)) {
      OrderBatches batches = batches(db);
      long t0 = System.nanoTime();
      storeInPages(batches, orders);
      double s = (System.nanoTime() - t0) / 1e9;
      Report.figure(
          "store path, " + label + ", " + orders.size() + " new orders",
          orders.size() / s,
          "orders/s");
      long t1 = System.nanoTime();
      storeInPages(batches, orders);
      double s2 = (System.nanoTime() - t1) / 1e9;
      Report.figure(
          "store path, " + label + ", the same orders again (all unchanged)",
          orders.size() / s2,
          "orders/s");
    }
  }

  /** What isolating costs when it must: one order the database refuses in every page. */
  private static void storePathWithRefusals(String label, String url, List<Order> orders) {
    List<Order> damaged = new ArrayList<>(orders);
    for (int i = 125; i < damaged.size(); i += 250) {
      damaged.set(i, damaged.get(i).withTotalPrice(new BigDecimal("9999999999999999999")));
    }
    try (Database db = Database.open(url, 4)) {
      long t0 = System.nanoTime();
      storeInPages(batches(db), damaged);
      double s = (System.nanoTime() - t0) / 1e9;
      Report.figure(
          "store path, "
              + label
              + ", "
              + orders.size()
              + " new orders, one refused "
              + "by the database in every page of 250",
          orders.size() / s,
          "orders/s");
    }
  }

  private static OrderBatches batches(Database db) {
    return new OrderBatches(
        db,
        new OrderStore(),
        new FailedOrders(db),
        new ChangeLog(db),
        Clock.fixed(Instant.parse("2026-11-27T00:00:00Z"), ZoneOffset.UTC));
  }

  private static void storeInPages(OrderBatches batches, List<Order> orders) {
    for (int i = 0; i < orders.size(); i += 250) {
      List<FetchedOrder> page =
          orders.subList(i, Math.min(orders.size(), i + 250)).stream()
              .map(FetchedOrder::mapped)
              .toList();
      batches.store(page, StorePath.POLL);
    }
  }

  /**
   * The ceiling: COPY of the same rows (every column, encoded as the store path encodes them)
   * straight into the same tables, no checks; in one transaction, and in one per page as the store
   * path commits.
   */
  private static void copy(String url, List<Order> all, int perTransaction) throws Exception {
    try (Database db = Database.open(url, 2)) {
      long t0 = System.nanoTime();
      for (int i = 0; i < all.size(); i += perTransaction) {
        List<Order> orders = all.subList(i, Math.min(all.size(), i + perTransaction));
        db.inTransaction(
            c -> {
              copyPage(c.getConnection(), orders);
              return null;
            });
      }
      double s = (System.nanoTime() - t0) / 1e9;
      Report.figure(
          "COPY ceiling, PostgreSQL 17, "
              + all.size()
              + " orders, "
              + (perTransaction >= all.size()
                  ? "one transaction"
                  : perTransaction + " a transaction"),
          all.size() / s,
          "orders/s");
    }
  }

  private static void copyPage(Connection c, List<Order> orders) throws SQLException {
    OrderRows rows = new OrderRows();
    Instant now = Instant.parse("2026-11-27T00:00:00Z");
    CopyRows o = new CopyRows(orders.size() * 2048);
    CopyRows li = new CopyRows(orders.size() * 600);
    for (Order x : orders) {
      o.add(x.shop())
          .add(x.id())
          .addAll(rows.values(x))
          .add("POLL")
          .add(now)
          .add("POLL")
          .add(now)
          .add(1)
          .endRow();
      int position = 0;
      for (Order.LineItem l : x.lineItems()) {
        li.addAll(OrderRows.lineValues(x, l, position++)).endRow();
      }
    }
    try {
      var copy = c.unwrap(PGConnection.class).getCopyAPI();
      copy.copyIn(
          "COPY orders (shop, id, "
              + OrderRows.orderColumnNames()
              + ", first_path, first_stored_at, last_path, last_stored_at, versions_stored) "
              + "FROM STDIN",
          o.reader());
      copy.copyIn("COPY order_line_items (" + OrderRows.LINE_COLUMNS + ") FROM STDIN", li.reader());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The floor: one INSERT per row, each committed on its own. */
  private static void rowByRow(String url, List<Order> orders) throws Exception {
    try (Database db = Database.open(url, 2)) {
      long t0 = System.nanoTime();
      db.read(
          c -> {
            c.getConnection().setAutoCommit(true);
            try (PreparedStatement po =
                    c.getConnection()
                        .prepareStatement(
                            "INSERT INTO orders (shop, id, "
                                + "legacy_id, name, created_at, updated_at, test, currency, total_price, raw_format, "
                                + "raw_payload, first_path, first_stored_at, last_path, last_stored_at, "
                                + "versions_stored) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'GRAPHQL', ?, 'POLL', ?, "
                                + "'POLL', ?, 1)");
                PreparedStatement pl =
                    c.getConnection()
                        .prepareStatement(
                            "INSERT INTO order_line_items (shop, "
                                + "order_id, id, position, sku, title, quantity, current_quantity, variant_id, "
                                + "unit_price) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
              for (Order x : orders) {
                po.setString(1, x.shop());
                po.setString(2, x.id());
                po.setLong(3, x.legacyId());
                po.setString(4, x.name());
                po.setObject(5, x.createdAt().atOffset(java.time.ZoneOffset.UTC));
                po.setObject(6, x.updatedAt().atOffset(java.time.ZoneOffset.UTC));
                po.setBoolean(7, x.test());
                po.setString(8, x.currency());
                po.setBigDecimal(9, x.totalPrice());
                po.setString(10, x.rawPayload());
                po.setObject(11, x.updatedAt().atOffset(java.time.ZoneOffset.UTC));
                po.setObject(12, x.updatedAt().atOffset(java.time.ZoneOffset.UTC));
                po.executeUpdate();
                int pos = 0;
                for (Order.LineItem l : x.lineItems()) {
                  pl.setString(1, x.shop());
                  pl.setString(2, x.id());
                  pl.setString(3, l.id());
                  pl.setInt(4, pos++);
                  pl.setString(5, l.sku());
                  pl.setString(6, l.title());
                  pl.setInt(7, l.quantity());
                  pl.setInt(8, l.currentQuantity());
                  pl.setString(9, l.variantId());
                  pl.setBigDecimal(10, l.unitPrice());
                  pl.executeUpdate();
                }
              }
            }
            return null;
          });
      double s = (System.nanoTime() - t0) / 1e9;
      Report.figure(
          "row-by-row floor, PostgreSQL 17, commit per statement, " + orders.size() + " orders",
          orders.size() / s,
          "orders/s");
    }
  }

  static List<Order> orders(int n, Random r) {
    List<Order> out = new ArrayList<>(n);
    Instant t = Instant.parse("2026-11-26T05:00:00Z");
    String filler = "x".repeat(700);
    for (int i = 0; i < n; i++) {
      long id = 5_000_000_000L + i;
      int items = 1 + r.nextInt(5);
      List<Order.LineItem> lis = new ArrayList<>();
      for (int j = 0; j < items; j++) {
        lis.add(
            new Order.LineItem(
                "gid://shopify/LineItem/" + (id * 10 + j),
                "SKU-" + r.nextInt(9999),
                "Product " + j,
                1 + r.nextInt(3),
                1,
                "gid://shopify/ProductVariant/" + j,
                BigDecimal.valueOf(500 + r.nextInt(10_000), 2),
                BigDecimal.valueOf(r.nextInt(10_000), 2)));
      }
      Instant at = t.plusMillis(i * 864L);
      Order.Address a =
          new Order.Address(
              "Ada",
              "Lovelace",
              null,
              "1 Market St",
              null,
              "New York",
              "New York",
              "NY",
              "United States",
              "US",
              "10001",
              null);
      out.add(
          Order.builder()
              .shop(SHOP)
              .id("gid://shopify/Order/" + id)
              .legacyId(id)
              .name("#" + (1000 + i))
              .number(1000 + i)
              .createdAt(at)
              .updatedAt(at)
              .processedAt(at)
              .test(false)
              .sourceName("web")
              .email("ada@example.com")
              .financialStatus("PAID")
              .fulfillmentStatus("UNFULFILLED")
              .currency("USD")
              .totalPrice(BigDecimal.valueOf(r.nextInt(100_000), 2))
              .customer(
                  new Order.Customer(
                      "gid://shopify/Customer/1", "Ada", "Lovelace", "ada@example.com"))
              .shippingAddress(a)
              .billingAddress(a)
              .lineItems(lis)
              .rawFormat(Order.RawFormat.GRAPHQL)
              .rawPayload("{\"id\":\"gid://shopify/Order/" + id + "\",\"pad\":\"" + filler + "\"}")
              .current(
                  new Order.Current(BigDecimal.TEN, BigDecimal.TEN, null, null, BigDecimal.ZERO))
              .presentment(new Order.Presentment("USD", BigDecimal.TEN, BigDecimal.TEN))
              .build());
    }
    return out;
  }
}
