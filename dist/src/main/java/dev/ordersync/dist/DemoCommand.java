package dev.ordersync.dist;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ordersync.cli.Main;
import dev.ordersync.demo.DemoOptions;
import dev.ordersync.demo.DemoResult;
import dev.ordersync.demo.DemoScenario;
import dev.ordersync.demo.InstallDemo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description =
        "The main job on the embedded default: a simulated day "
            + "against the simulator, with faults, beside a naive importer. Exit 0 when order-sync lost "
            + "nothing.")
final class DemoCommand implements Callable<Integer> {
  @Option(names = "--json", description = "print the figures as one JSON object")
  boolean json;

  @Option(names = "--seed", defaultValue = "1", description = "traffic and fault seed")
  long seed;

  @Option(
      names = "--orders",
      defaultValue = "20000",
      description = "orders in the day " + "(default ${DEFAULT-VALUE})")
  int orders;

  @Option(names = "--no-faults", description = "a calm day: no 5xx, no outage, no lag incident")
  boolean noFaults;

  @Option(names = "--no-webhooks", description = "poll only: no webhook intake")
  boolean noWebhooks;

  @Option(
      names = "--date",
      defaultValue = "2026-11-26",
      description = "the simulated shop-local " + "day")
  LocalDate date;

  @Option(
      names = "--timezone",
      defaultValue = "America/New_York",
      description = "the shop's " + "time zone")
  String timezone;

  @Option(
      names = "--db",
      paramLabel = "JDBC_URL",
      description = "database (default: a fresh H2 " + "file at ./data/demo)")
  String db;

  @Option(
      names = "--install",
      description =
          "merchants install order-sync themselves while it runs (three shops of one public app), "
              + "then one uninstalls")
  boolean install;

  @Option(
      names = "--verbose",
      description = "the service's log on the terminal, not in " + "./data/demo.log")
  boolean verbose;

  @Override
  public Integer call() throws IOException {
    Path dir = Path.of("data");
    Files.createDirectories(dir);
    Path log = dir.resolve("demo.log");
    if (!verbose) {
      LogFile.redirectTo(log);
    }
    String url = db;
    if (url == null) {
      Files.deleteIfExists(dir.resolve("demo.mv.db"));
      Files.deleteIfExists(dir.resolve("demo.trace.db"));
      url = "jdbc:h2:file:" + dir.toAbsolutePath().resolve("demo");
    }
    if (install) {
      return install(
          dir, url == null ? "jdbc:h2:file:" + dir.toAbsolutePath().resolve("demo") : url);
    }
    DemoOptions options =
        new DemoOptions(seed, orders, date, ZoneId.of(timezone), !noFaults, !noWebhooks, url);
    System.err.printf(
        "[demo] playing %d orders on %s (%s), seed %d, faults %s...%n",
        orders, date, timezone, seed, noFaults ? "off" : "on");
    DemoResult result = new DemoScenario(options, System.err).run();
    if (!verbose) {
      System.err.printf(
          "[demo] the service's log (every fault it met and how it recovered): " + "%s%n", log);
    }
    if (json) {
      System.out.println(new ObjectMapper().writeValueAsString(result.toJson()));
    } else {
      System.out.print(result.table());
    }
    return result.nothingLost() ? Main.OK : Main.FAILED;
  }

  private int install(Path dir, String url) throws IOException {
    System.err.println("[demo] merchants installing order-sync while it runs...");
    List<InstallDemo.Shop> shops;
    try {
      shops = new InstallDemo(url, System.err).run();
    } catch (Exception e) {
      System.err.println("order-sync: the install demo failed: " + e.getMessage());
      return Main.FAILED;
    }
    boolean complete =
        shops.stream()
            .allMatch(
                s ->
                    s.stored() == s.shopifyOrders()
                        || s.status().equals("uninstalled") && s.stored() == s.shopifyOrders() - 1);
    if (json) {
      System.out.println(
          new ObjectMapper().writeValueAsString(Map.of("shops", shops, "complete", complete)));
    } else {
      System.out.printf(
          "%n  %-26s %-12s %8s %8s %18s%n",
          "shop", "status", "Shopify", "stored", "install to stored");
      for (InstallDemo.Shop s : shops) {
        System.out.printf(
            "  %-26s %-12s %8d %8d %16.1f s%n",
            s.shop(), s.status(), s.shopifyOrders(), s.stored(), s.importSeconds());
      }
      System.out.printf(
          "%n  The uninstalled shop keeps the orders it had; its order made after the uninstall is not fetched.%n");
    }
    return complete ? Main.OK : Main.FAILED;
  }
}
