package dev.ordersync.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ordersync.App;
import dev.ordersync.config.AppConfig;
import dev.ordersync.config.ShopDomain;
import dev.ordersync.feed.Feed;
import dev.ordersync.orders.FailedOrders;
import dev.ordersync.sync.FailedOrderRetry;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "orders",
    mixinStandardHelpOptions = true,
    description = "The stored orders.",
    subcommands = {
      OrdersCommand.Export.class,
      OrdersCommand.Changes.class,
      OrdersCommand.Failed.class,
      OrdersCommand.Show.class,
      OrdersCommand.Retry.class
    })
final class OrdersCommand {
  private static final String ORDER_GID = FailedOrderRetry.ORDER_GID;

  @Command(
      name = "export",
      mixinStandardHelpOptions = true,
      description = "One JSON object per stored order on standard output.")
  static final class Export implements Callable<Integer> {
    @Mixin CommonOptions common;

    @Option(names = "--format", defaultValue = "jsonl", description = "jsonl (the only format)")
    String format;

    @Option(
        names = "--customer",
        description =
            "only this customer's orders (the numeric id or the GID), with --shop: what a "
                + "customers/data_request asks for (order-sync shops data-requests)")
    String customer;

    @Override
    public Integer call() throws IOException {
      if (!"jsonl".equals(format)) {
        throw new IllegalArgumentException("--format " + format + " is not supported; use jsonl");
      }
      if (customer != null && common.shop == null) {
        throw new IllegalArgumentException("--customer needs --shop: a customer id is a shop's");
      }
      String customerGid =
          customer == null
              ? null
              : customer.matches("\\d{1,19}") ? "gid://shopify/Customer/" + customer : customer;
      if (customerGid != null && !customerGid.matches("gid://shopify/Customer/\\d{1,19}")) {
        throw new IllegalArgumentException(
            "--customer takes the numeric id or gid://shopify/Customer/<id>");
      }
      AppConfig cfg = common.appConfigOrEmpty();
      ObjectMapper json = new ObjectMapper();
      try (App app = common.openExisting(cfg);
          BufferedWriter out =
              new BufferedWriter(
                  new OutputStreamWriter(System.out, StandardCharsets.UTF_8), 1 << 16)) {
        java.util.function.Consumer<java.util.Map<String, Object>> write =
            row -> {
              try {
                out.write(json.writeValueAsString(row));
                out.write('\n');
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
            };
        if (customerGid == null) {
          app.orders().documents().export(write);
        } else {
          app.orders().documents().exportCustomer(common.shop, customerGid, write);
        }
      }
      return Main.OK;
    }
  }

  @Command(
      name = "changes",
      mixinStandardHelpOptions = true,
      description =
          "The change feed as JSON lines, oldest first: the same objects as GET /api/v1/changes "
              + "(seq, shop, id, kind, updatedAt, storedAt, path, order). Exit 1 when the "
              + "position was pruned (feed.retention).")
  static final class Changes implements Callable<Integer> {
    @Mixin CommonOptions common;

    @Option(
        names = "--after",
        defaultValue = "0",
        description = "print the changes after this seq (default: from the first kept)")
    long after;

    @Option(names = "--limit", description = "print at most this many changes")
    Long limit;

    @Option(
        names = "--follow",
        description = "keep printing changes as they are stored, until interrupted")
    boolean follow;

    @Override
    public Integer call() throws IOException, InterruptedException {
      if (after < 0 || limit != null && limit < 1) {
        throw new IllegalArgumentException("--after must be 0 or more and --limit 1 or more");
      }
      AppConfig cfg = common.appConfigOrEmpty();
      ObjectMapper json = new ObjectMapper();
      try (App app = common.openExisting(cfg);
          BufferedWriter out =
              new BufferedWriter(
                  new OutputStreamWriter(System.out, StandardCharsets.UTF_8), 1 << 16)) {
        Feed feed = app.feed().changes();
        long position = after;
        long printed = 0;
        while (limit == null || printed < limit) {
          int size =
              (int) Math.min(Feed.MAX_LIMIT, limit == null ? Long.MAX_VALUE : limit - printed);
          Feed.Page page =
              follow
                  ? feed.await(position, size, common.shop, Duration.ofSeconds(1))
                  : feed.page(position, size, common.shop);
          for (Map<String, Object> change : page.changes()) {
            out.write(json.writeValueAsString(change));
            out.write('\n');
          }
          out.flush();
          printed += page.changes().size();
          position = page.next();
          if (!follow && page.changes().size() < size) {
            break;
          }
        }
      } catch (Feed.Pruned | Feed.AheadOfHead e) {
        System.err.println("order-sync: " + e.getMessage());
        return Main.FAILED;
      }
      return Main.OK;
    }
  }

  @Command(
      name = "show",
      mixinStandardHelpOptions = true,
      description =
          "One order's whole story: how it is stored, every version the feed holds (updatedAt, "
              + "path, storedAt), its failures and retries, the webhook deliveries received for "
              + "it, deletion and redaction. Exit 1 when this database has no trace of it.")
  static final class Show implements Callable<Integer> {
    @Mixin CommonOptions common;

    @picocli.CommandLine.Parameters(
        index = "0",
        paramLabel = "ORDER",
        description = "the order's GID (gid://shopify/Order/123) or its numeric id")
    String order;

    @Option(names = "--json", description = "one JSON object")
    boolean json;

    @Override
    public Integer call() throws IOException {
      String gid = order.matches("\\d{1,19}") ? ORDER_GID + order : order;
      if (!gid.matches("gid://shopify/Order/\\d{1,19}")) {
        throw new IllegalArgumentException(
            "not an order id: give the GID (gid://shopify/Order/123) or the numeric id");
      }
      AppConfig cfg = common.appConfigOrEmpty();
      java.util.Optional<java.util.Map<String, Object>> story;
      try (App app = common.openExisting(cfg)) {
        story = app.orders().story().of(gid);
      }
      if (story.isEmpty()) {
        System.err.println("order-sync: no trace of " + gid + " in this database");
        return Main.FAILED;
      }
      ObjectMapper mapper = new ObjectMapper();
      if (json) {
        System.out.println(mapper.writeValueAsString(story.get()));
      } else {
        System.out.println(mapper.writerWithDefaultPrettyPrinter().writeValueAsString(story.get()));
      }
      return Main.OK;
    }
  }

  @Command(
      name = "failed",
      mixinStandardHelpOptions = true,
      description =
          "Orders that could not be mapped or stored: kept with their payload and "
              + "retried with backoff. Newest failure first.")
  static final class Failed implements Callable<Integer> {
    @Mixin CommonOptions common;

    @Option(names = "--json", description = "one JSON object per line")
    boolean json;

    @Override
    public Integer call() throws IOException {
      AppConfig cfg = common.appConfigOrEmpty();
      List<FailedOrders.Failure> failures;
      try (App app = common.openExisting(cfg)) {
        failures = app.orders().failed().open(common.shop);
      }
      ObjectMapper mapper = new ObjectMapper();
      if (!json && failures.isEmpty()) {
        System.out.println(
            "No failed order" + (common.shop == null ? "" : " of " + common.shop) + ".");
      }
      for (FailedOrders.Failure f : failures) {
        if (json) {
          System.out.println(mapper.writeValueAsString(toMap(f)));
        } else {
          System.out.printf(
              "%s %s%s: %s, %d attempt(s), last %s, next retry %s: %s%n",
              f.shop(),
              f.orderKey(),
              f.name() == null ? "" : " (" + f.name() + ")",
              f.path(),
              f.attempts(),
              f.lastFailedAt(),
              f.nextRetryAt(),
              f.error());
        }
      }
      return Main.OK;
    }

    static Map<String, Object> toMap(FailedOrders.Failure f) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("shop", f.shop());
      m.put("id", f.orderKey());
      m.put("name", f.name());
      m.put("path", f.path().name());
      m.put("error", f.error());
      m.put("attempts", f.attempts());
      m.put("firstFailedAt", String.valueOf(f.firstFailedAt()));
      m.put("lastFailedAt", String.valueOf(f.lastFailedAt()));
      m.put("nextRetryAt", f.nextRetryAt() == null ? null : f.nextRetryAt().toString());
      return m;
    }
  }

  @Command(
      name = "retry",
      mixinStandardHelpOptions = true,
      description =
          "Fetch orders by id from Shopify and store them now. Exit 0 when all are " + "stored.")
  static final class Retry implements Callable<Integer> {
    @Mixin CommonOptions common;

    @Parameters(
        paramLabel = "ID",
        arity = "0..*",
        description = "order GIDs (gid://shopify/Order/123) or numeric ids")
    List<String> ids = new ArrayList<>();

    @Option(names = "--all", description = "every open failed order (of --shop, or of all shops)")
    boolean all;

    @Option(names = "--quiet", description = "no progress line on standard error")
    boolean quiet;

    @Override
    public Integer call() {
      if (all == !ids.isEmpty()) {
        throw new IllegalArgumentException("give the order ids to retry, or --all");
      }
      int notStored = 0;
      ProgressLine progress = new ProgressLine(quiet);
      try (App app = common.openApp()) {
        Map<String, List<String>> byShop = new LinkedHashMap<>();
        if (all) {
          for (FailedOrders.Failure f : app.orders().failed().open(common.shop)) {
            if (f.orderKey().startsWith(ORDER_GID)) {
              byShop.computeIfAbsent(f.shop(), k -> new ArrayList<>()).add(f.orderKey());
            } else if (app.shops().apis().names().contains(ShopDomain.of(f.shop()))) {
              notStored++;
              System.out.printf(
                  "%s %s: has no order id, so it cannot be fetched; its payload "
                      + "is in `orders failed --json`%n",
                  f.shop(), f.orderKey());
            }
          }
        } else {
          for (String id : ids) {
            String gid = gid(id);
            byShop.computeIfAbsent(shopOf(app, gid), k -> new ArrayList<>()).add(gid);
          }
        }
        for (Map.Entry<String, List<String>> e : byShop.entrySet()) {
          if (!app.shops().apis().names().contains(ShopDomain.of(e.getKey()))) {
            continue; // failures of a shop no longer configured
          }
          FailedOrderRetry.Retried r =
              app.sync()
                  .failedOrderRetry()
                  .retry(ShopDomain.of(e.getKey()), e.getValue(), p -> progress.show(p.line()));
          progress.done();
          for (String id : r.stored()) {
            System.out.printf("%s %s: stored%n", e.getKey(), id);
          }
          r.failed()
              .forEach(
                  (id, error) -> System.out.printf("%s %s: FAILED: %s%n", e.getKey(), id, error));
          for (String id : r.notFound()) {
            System.out.printf(
                "%s %s: NOT FOUND: Shopify does not have this order (deleted, or "
                    + "not an order of this shop)%n",
                e.getKey(), id);
          }
          notStored += r.notStored();
        }
      }
      return notStored == 0 ? Main.OK : Main.FAILED;
    }

    private static String gid(String id) {
      if (id.startsWith(ORDER_GID)) {
        return id;
      }
      if (id.matches("\\d{1,19}")) {
        return ORDER_GID + id;
      }
      throw new IllegalArgumentException(
          "'"
              + id
              + "' is not an order id; give a GID such as "
              + "gid://shopify/Order/123 or the number 123");
    }

    private String shopOf(App app, String gid) {
      if (app.shops().apis().names().size() == 1) {
        return app.shops().apis().names().get(0).value();
      }
      return app.orders().failed().open(common.shop).stream()
          .filter(f -> f.orderKey().equals(gid))
          .map(FailedOrders.Failure::shop)
          .findFirst()
          .orElseThrow(
              () ->
                  new IllegalArgumentException(
                      gid
                          + " is not a failed order of any "
                          + "configured shop; give --shop to say which shop to fetch it from"));
    }
  }
}
