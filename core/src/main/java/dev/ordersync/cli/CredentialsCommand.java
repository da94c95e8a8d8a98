package dev.ordersync.cli;

import dev.ordersync.App;
import dev.ordersync.config.AppConfig;
import dev.ordersync.config.ConfigException;
import dev.ordersync.config.ShopDomain;
import dev.ordersync.shopify.AccessTokens;
import dev.ordersync.shopify.ShopifyException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(
    name = "credentials",
    mixinStandardHelpOptions = true,
    description = "The credentials order-sync keeps in its database.",
    subcommands = {CredentialsCommand.RotateKey.class, CredentialsCommand.Migrate.class})
final class CredentialsCommand {

  @Command(
      name = "rotate-key",
      mixinStandardHelpOptions = true,
      description =
          "Re-encrypts the stored access and refresh tokens under a new ORDER_SYNC_SECRET_KEY: "
              + "the old key in ORDER_SYNC_OLD_SECRET_KEY (unset: they were stored as given), the "
              + "new one in ORDER_SYNC_SECRET_KEY. Stop every run first, restart it with the new "
              + "key after.")
  static final class RotateKey implements Callable<Integer> {
    @Mixin CommonOptions common;

    @Override
    public Integer call() {
      String newKey = System.getenv("ORDER_SYNC_SECRET_KEY");
      if (newKey == null || newKey.isBlank()) {
        throw new ConfigException(
            "set the new key in ORDER_SYNC_SECRET_KEY (and the old one in "
                + "ORDER_SYNC_OLD_SECRET_KEY)");
      }
      AppConfig cfg = common.appConfigOrEmpty();
      int n =
          App.resealTokens(common.jdbcUrl(cfg), System.getenv("ORDER_SYNC_OLD_SECRET_KEY"), newKey);
      System.err.println("order-sync: " + n + " stored token(s) now encrypted under the new key");
      return Main.OK;
    }
  }

  @Command(
      name = "migrate",
      mixinStandardHelpOptions = true,
      description =
          "Exchanges each public app's non-expiring offline token (a shop configured with token, "
              + "clientId and clientSecret) for an expiring one by token exchange, before Shopify "
              + "invalidates them on 2027-01-01; the pair is stored before it is used, and a "
              + "retry after a lost answer gets the same pair. --shop D for one shop; all by "
              + "default.")
  static final class Migrate implements Callable<Integer> {
    @Mixin CommonOptions common;

    @picocli.CommandLine.Option(names = "--all", description = "every shop (the default)")
    boolean all;

    @Override
    public Integer call() {
      boolean failed = false;
      try (App app = common.openApp()) {
        for (ShopDomain shop : app.shops().apis().names()) {
          try {
            AccessTokens.Migration m =
                app.shops().apis().get(shop).client().tokens().migrateToExpiring();
            System.err.println(
                "order-sync: "
                    + shop
                    + ": "
                    + switch (m) {
                      case MIGRATED -> "migrated to an expiring offline token (stored)";
                      case ALREADY -> "already on an expiring offline token";
                      case NOT_APPLICABLE ->
                          "nothing to migrate (not a public app's offline token with its "
                              + "clientId and clientSecret)";
                    });
          } catch (ShopifyException e) {
            failed = true;
            System.err.println("order-sync: " + shop + ": not migrated: " + e.getMessage());
            if (e instanceof ShopifyException.CredentialsRefused) {
              return Main.USAGE;
            }
          }
        }
      }
      return failed ? Main.FAILED : Main.OK;
    }
  }
}
