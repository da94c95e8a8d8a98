package dev.ordersync.cli;

import dev.ordersync.App;
import dev.ordersync.config.AppConfig;
import dev.ordersync.shopify.ShopifyException;
import dev.ordersync.webhook.WebhookInbox;
import java.net.URI;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "webhooks", mixinStandardHelpOptions = true, description = "Webhook subscriptions and intake.", subcommands = {
    WebhooksCommand.Register.class, WebhooksCommand.Status.class})
final class WebhooksCommand {
  static final List<String> TOPICS = List.of("ORDERS_CREATE", "ORDERS_UPDATED",
      "ORDERS_CANCELLED", "ORDERS_DELETE");

  @Command(name = "register", mixinStandardHelpOptions = true, description = "Subscribe each shop's order topics to this "
      + "service's /webhooks/shopify (webhookSubscriptionCreate).")
  static final class Register implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Option(names = "--address", required = true, paramLabel = "URL",
        description = "the public URL of /webhooks/shopify, e.g. https://oms.example.com/webhooks/shopify")
    String address;

    @Override
    public Integer call() {
      URI uri = URI.create(address);
      if (uri.getScheme() == null || !uri.getScheme().startsWith("http")) {
        throw new IllegalArgumentException("--address must be an http(s) URL: " + address);
      }
      int failed = 0;
      try (App app = common.openApp()) {
        for (String shop : app.shops().names()) {
          for (String topic : TOPICS) {
            try {
              String id = app.shops().get(shop).createWebhook(topic, address);
              System.err.printf("%s: %s -> %s (%s)%n", shop, topic, address, id);
            } catch (ShopifyException e) {
              failed++;
              System.err.printf("%s: %s FAILED: %s%n", shop, topic, e.detail());
            }
          }
        }
      }
      return failed == 0 ? Main.OK : Main.FAILED;
    }
  }

  @Command(name = "status", mixinStandardHelpOptions = true, description = "Per shop: deliveries received, duplicates, "
      + "pending, last received.")
  static final class Status implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Override
    public Integer call() {
      AppConfig cfg = common.appConfigOrEmpty();
      try (App app = App.open(cfg, common.jdbcUrl(cfg), App.Options.production())) {
        List<WebhookInbox.Counters> all = app.webhookInbox().counters();
        if (all.isEmpty()) {
          System.out.println("No webhook delivery has arrived yet.");
        }
        for (WebhookInbox.Counters c : all) {
          System.out.printf("%s: received %d, duplicates %d, pending %d, last "
              + "received %s%n", c.shop(), c.received(), c.duplicates(),
              c.pending(), c.lastReceivedAt() == null ? "never" : c.lastReceivedAt());
        }
      }
      return Main.OK;
    }
  }
}
