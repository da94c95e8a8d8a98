package dev.ordersync.cli;

import dev.ordersync.App;
import dev.ordersync.config.AppConfig;
import dev.ordersync.config.ShopDomain;
import dev.ordersync.shopify.ShopAdmin;
import dev.ordersync.shopify.ShopifyException;
import dev.ordersync.webhook.WebhookInbox;
import dev.ordersync.webhook.WebhookStats;
import java.net.URI;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
    name = "webhooks",
    mixinStandardHelpOptions = true,
    description = "Webhook subscriptions and intake.",
    subcommands = {WebhooksCommand.Register.class, WebhooksCommand.Status.class})
final class WebhooksCommand {
  static final List<String> TOPICS =
      List.of("ORDERS_CREATE", "ORDERS_UPDATED", "ORDERS_CANCELLED", "ORDERS_DELETE");

  @Command(
      name = "register",
      mixinStandardHelpOptions = true,
      description =
          "Subscribe each shop's order topics to this "
              + "service's /webhooks/shopify (webhookSubscriptionCreate).")
  static final class Register implements Callable<Integer> {
    @Mixin CommonOptions common;

    @Option(
        names = "--address",
        required = true,
        paramLabel = "URL",
        description =
            "where Shopify delivers: the public https URL of /webhooks/shopify "
                + "(https://oms.example.com/webhooks/shopify), pubsub://project:topic or an "
                + "EventBridge arn:aws:events:... Existing subscriptions are kept; running it twice "
                + "creates nothing new.")
    String address;

    @Override
    public Integer call() {
      checkAddress(address);
      int failed = 0;
      try (App app = common.openApp()) {
        for (ShopDomain shop : app.shops().apis().names()) {
          ShopAdmin admin = app.shops().apis().admin(shop);
          List<ShopAdmin.Subscription> existing;
          try {
            existing = admin.webhookSubscriptions();
          } catch (ShopifyException e) {
            failed++;
            System.err.printf("%s: cannot list the subscriptions: %s%n", shop, e.detail());
            continue;
          }
          for (String topic : TOPICS) {
            if (existing.stream()
                .anyMatch(x -> x.topic().equals(topic) && x.uri().equals(address))) {
              System.err.printf("%s: %s -> %s (already subscribed)%n", shop, topic, address);
              continue;
            }
            try {
              String id = admin.createWebhook(topic, address);
              System.err.printf("%s: %s -> %s (%s)%n", shop, topic, address, id);
            } catch (ShopifyException e) {
              failed++;
              System.err.printf("%s: %s FAILED: %s%n", shop, topic, e.detail());
            }
          }
        }
        return Main.exitAfter(app, failed > 0);
      }
    }

    /**
     * The destinations Shopify accepts: https, Google Pub/Sub and Amazon EventBridge. Plain http
     * only on this machine's loopback, for the simulator.
     */
    static void checkAddress(String address) {
      if (address.startsWith("pubsub://") || address.startsWith("arn:aws:events:")) {
        return;
      }
      URI uri;
      try {
        uri = URI.create(address);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("--address " + address + " is not a URL");
      }
      boolean loopback =
          "http".equals(uri.getScheme())
              && uri.getHost() != null
              && (uri.getHost().equals("127.0.0.1") || uri.getHost().equals("localhost"));
      if (!"https".equals(uri.getScheme()) && !loopback || uri.getHost() == null) {
        throw new IllegalArgumentException(
            "--address must be an https:// URL (Shopify delivers "
                + "to no other), a Google Pub/Sub address (pubsub://project:topic) or an Amazon "
                + "EventBridge ARN (arn:aws:events:...); got "
                + address);
      }
    }
  }

  @Command(
      name = "status",
      mixinStandardHelpOptions = true,
      description = "Per shop: deliveries received, duplicates, " + "pending, last received.")
  static final class Status implements Callable<Integer> {
    @Mixin CommonOptions common;

    @Override
    public Integer call() {
      AppConfig cfg = common.appConfigOrEmpty();
      try (App app = common.openExisting(cfg)) {
        List<WebhookInbox.Counters> all = app.webhooks().inbox().counters();
        if (all.isEmpty()) {
          System.out.println("No webhook delivery has arrived yet.");
        }
        for (WebhookInbox.Counters c : all) {
          System.out.printf(
              "%s: received %d, duplicates %d, pending %d, last received %s%s%n",
              c.shop(),
              c.received(),
              c.duplicates(),
              c.pending(),
              c.lastReceivedAt() == null ? "never" : c.lastReceivedAt(),
              c.refused() == 0
                  ? ""
                  : "; REFUSED "
                      + c.refused()
                      + ", the last at "
                      + c.lastRefusedAt()
                      + " ("
                      + WebhookStats.Outcome.valueOf(c.lastRefusal()).why()
                      + ")");
        }
      }
      return Main.OK;
    }
  }
}
