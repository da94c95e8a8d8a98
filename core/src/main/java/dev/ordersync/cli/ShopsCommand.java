package dev.ordersync.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ordersync.App;
import dev.ordersync.config.AppConfig;
import dev.ordersync.shops.DataRequests;
import dev.ordersync.shops.ShopStates;
import dev.ordersync.sync.Checkpoints;
import dev.ordersync.sync.PassResult;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "shops",
    mixinStandardHelpOptions = true,
    description = "The shops order-sync serves, and their state.",
    subcommands = {
      ShopsCommand.ListShops.class,
      ShopsCommand.Pause.class,
      ShopsCommand.Resume.class,
      ShopsCommand.Requests.class
    })
final class ShopsCommand {

  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description =
          "Every shop: shop, source (config), status (active, paused, uninstalled), installedAt, "
              + "scopes, watermark, lastPassAt.")
  static final class ListShops implements Callable<Integer> {
    @Mixin CommonOptions common;

    @Option(names = "--json", description = "one JSON object per line")
    boolean json;

    @Override
    public Integer call() throws Exception {
      AppConfig cfg = common.appConfigOrEmpty();
      List<Map<String, Object>> rows = new ArrayList<>();
      try (App app = App.open(cfg, common.existingDatabase(cfg), App.Options.production())) {
        Map<String, ShopStates.State> states = app.shopStates().all();
        Set<String> shops = new LinkedHashSet<>(app.shops().names());
        for (String shop : shops) {
          Map<String, Object> r = new LinkedHashMap<>();
          r.put("shop", shop);
          r.put("source", "config");
          r.put("status", states.getOrDefault(shop, ShopStates.State.ACTIVE).word());
          r.put("installedAt", null);
          r.put("scopes", null);
          r.put(
              "watermark",
              app.checkpoints()
                  .get(shop, Checkpoints.ORDERS)
                  .map(c -> c.watermark().toString())
                  .orElse(null));
          r.put(
              "lastPassAt",
              app.passLog().recent(shop, 1).stream()
                  .findFirst()
                  .map(PassResult::finishedAt)
                  .map(Object::toString)
                  .orElse(null));
          rows.add(r);
        }
      }
      ObjectMapper mapper = new ObjectMapper();
      for (Map<String, Object> r : rows) {
        if (json) {
          System.out.println(mapper.writeValueAsString(r));
        } else {
          System.out.printf(
              "%-40s %-7s %-12s watermark %s, last pass %s%n",
              r.get("shop"),
              r.get("source"),
              r.get("status"),
              r.get("watermark") == null ? "none" : r.get("watermark"),
              r.get("lastPassAt") == null ? "none" : r.get("lastPassAt"));
        }
      }
      return Main.OK;
    }
  }

  abstract static class SetState implements Callable<Integer> {
    @Mixin CommonOptions common;

    @Parameters(index = "0", paramLabel = "SHOP", description = "the shop's myshopify.com domain")
    String shop;

    abstract ShopStates.State state();

    @Override
    public Integer call() {
      AppConfig cfg = common.appConfigOrEmpty();
      try (App app = App.open(cfg, common.existingDatabase(cfg), App.Options.production())) {
        if (app.shops().find(shop) == null) {
          System.err.println(
              "order-sync: unknown shop '"
                  + shop
                  + "'; known: "
                  + String.join(", ", app.shops().names()));
          return Main.FAILED;
        }
        app.shopStates().set(shop, state(), app.clock().instant());
      }
      System.err.println(
          "order-sync: " + shop + " is " + state().word() + " on every instance from its next job");
      return Main.OK;
    }
  }

  @Command(
      name = "pause",
      mixinStandardHelpOptions = true,
      description = "Stops the shop's jobs on every instance, no restart; its data stays.")
  static final class Pause extends SetState {
    @Override
    ShopStates.State state() {
      return ShopStates.State.PAUSED;
    }
  }

  @Command(
      name = "resume",
      mixinStandardHelpOptions = true,
      description =
          "Starts a paused (or, after a new install, an uninstalled) shop's jobs again, from its "
              + "watermark.")
  static final class Resume extends SetState {
    @Override
    ShopStates.State state() {
      return ShopStates.State.ACTIVE;
    }
  }

  @Command(
      name = "data-requests",
      mixinStandardHelpOptions = true,
      description =
          "The customers/data_request deliveries recorded: shop, requestId, customerId, "
              + "ordersRequested, receivedAt. Export one: orders export --shop D --customer ID.")
  static final class Requests implements Callable<Integer> {
    @Mixin CommonOptions common;

    @Option(names = "--json", description = "one JSON object per line")
    boolean json;

    @Override
    public Integer call() throws Exception {
      AppConfig cfg = common.appConfigOrEmpty();
      List<DataRequests.Request> all;
      try (App app = App.open(cfg, common.existingDatabase(cfg), App.Options.production())) {
        all = app.dataRequests().all();
      }
      ObjectMapper mapper = new ObjectMapper();
      if (all.isEmpty() && !json) {
        System.out.println("No customers/data_request has arrived.");
      }
      for (DataRequests.Request r : all) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("shop", r.shop());
        m.put("requestId", r.requestId());
        m.put("customerId", r.customerId());
        m.put(
            "ordersRequested",
            r.ordersRequested() == null || r.ordersRequested().isEmpty()
                ? List.of()
                : List.of(r.ordersRequested().split(",")));
        m.put("receivedAt", r.receivedAt().toString());
        System.out.println(
            json
                ? mapper.writeValueAsString(m)
                : r.shop()
                    + "  request "
                    + r.requestId()
                    + "  customer "
                    + r.customerId()
                    + "  received "
                    + r.receivedAt());
      }
      return Main.OK;
    }
  }
}
