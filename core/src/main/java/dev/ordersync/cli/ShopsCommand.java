package dev.ordersync.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ordersync.App;
import dev.ordersync.AppOptions;
import dev.ordersync.config.AppConfig;
import dev.ordersync.config.ShopDomain;
import dev.ordersync.shops.DataRequests;
import dev.ordersync.shops.InstalledShops;
import dev.ordersync.shops.ShopStates;
import dev.ordersync.sync.Checkpoints;
import dev.ordersync.sync.PassResult;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
      ShopsCommand.Remove.class,
      ShopsCommand.InstallLink.class,
      ShopsCommand.Requests.class
    })
final class ShopsCommand {

  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description =
          "Every shop: shop, source (config, installed), status (active, paused, uninstalled; "
              + "removed for a configured shop), installedAt, scopes, watermark, lastPassAt.")
  static final class ListShops implements Callable<Integer> {
    @Mixin CommonOptions common;

    @Option(names = "--json", description = "one JSON object per line")
    boolean json;

    @Override
    public Integer call() throws Exception {
      AppConfig cfg = common.appConfigOrEmpty();
      List<Map<String, Object>> rows = new ArrayList<>();
      try (App app = common.openExisting(cfg)) {
        Map<String, ShopStates.State> states = app.shops().states().all();
        Map<String, InstalledShops.Installed> installed = new LinkedHashMap<>();
        app.shops().installed().all().forEach(i -> installed.put(i.shop(), i));
        Set<String> shops = new LinkedHashSet<>();
        cfg.shops().forEach(c -> shops.add(c.domain().value()));
        shops.addAll(installed.keySet());
        for (String shop : shops) {
          Map<String, Object> r = new LinkedHashMap<>();
          InstalledShops.Installed i = installed.get(shop);
          r.put("shop", shop);
          r.put("source", cfg.shop(ShopDomain.of(shop)).isPresent() ? "config" : "installed");
          r.put("status", states.getOrDefault(shop, ShopStates.State.ACTIVE).word());
          r.put("installedAt", i == null ? null : i.installedAt().toString());
          r.put("scopes", i == null ? null : i.scopes());
          r.put(
              "watermark",
              app.sync()
                  .checkpoints()
                  .get(ShopDomain.of(shop), Checkpoints.ORDERS)
                  .map(c -> c.watermark().toString())
                  .orElse(null));
          r.put(
              "lastPassAt",
              app.sync().passLog().recent(ShopDomain.of(shop), 1).stream()
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
              "%-40s %-9s %-12s watermark %s, last pass %s%n",
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

    /** What the operator is told it did. */
    String done() {
      return shop + " is " + state().word() + " on every instance from its next job";
    }

    @Override
    public Integer call() {
      AppConfig cfg = common.appConfigOrEmpty();
      try (App app = common.openExisting(cfg)) {
        Optional<ShopDomain> domain = ShopDomain.parse(shop);
        if (domain.flatMap(cfg::shop).isEmpty()
            && domain.flatMap(app.shops().installed()::find).isEmpty()) {
          List<String> known = new ArrayList<>();
          cfg.shops().forEach(c -> known.add(c.domain().value()));
          app.shops().installed().all().forEach(i -> known.add(i.shop()));
          System.err.println(
              "order-sync: unknown shop '"
                  + shop
                  + "'; known: "
                  + (known.isEmpty() ? "none" : String.join(", ", known)));
          return Main.FAILED;
        }
        app.shops().states().set(domain.get(), state(), app.service().clock().instant());
        if (state() == ShopStates.State.ACTIVE) {
          // an uninstalled or removed shop's jobs have ended: start them again
          app.service().shopJobs().start(domain.get());
        }
      }
      System.err.println("order-sync: " + done());
      return Main.OK;
    }
  }

  @Command(
      name = "remove",
      mixinStandardHelpOptions = true,
      description =
          "Stops serving the shop on every instance, no restart: its jobs end, it leaves the "
              + "dashboard and `shops list`; its orders stay. A new install (or `shops resume`) "
              + "brings it back from its watermark.")
  static final class Remove extends SetState {
    @Override
    ShopStates.State state() {
      return ShopStates.State.REMOVED;
    }

    @Override
    String done() {
      return shop
          + " is removed on every instance from its next job; its orders stay ("
          + "`order-sync shops resume "
          + shop
          + "` serves it again)";
    }
  }

  @Command(
      name = "install-link",
      mixinStandardHelpOptions = true,
      description =
          "The URL a merchant opens to install the app on their shop (needs `app:` in the config; "
              + "valid 10 minutes, once).")
  static final class InstallLink implements Callable<Integer> {
    @Mixin CommonOptions common;

    @Parameters(index = "0", paramLabel = "SHOP", description = "the shop's myshopify.com domain")
    String shop;

    @Override
    public Integer call() {
      AppConfig cfg = common.appConfigOrEmpty();
      if (cfg.app().isEmpty()) {
        System.err.println(
            "order-sync: shops install-link needs the public app in the config (app: clientId, "
                + "clientSecret, url); see the README, \"Serving many merchants\"");
        return Main.USAGE;
      }
      if (!ShopDomain.isValid(shop)) {
        System.err.println(
            "order-sync: '" + shop + "' is not a shop's domain: write it as name.myshopify.com");
        return Main.USAGE;
      }
      try (App app = App.open(cfg, common.jdbcUrl(cfg), AppOptions.production())) {
        System.out.println(app.shops().installs().orElseThrow().installLink(ShopDomain.of(shop)));
      }
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
      try (App app = common.openExisting(cfg)) {
        all = app.shops().dataRequests().all();
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
