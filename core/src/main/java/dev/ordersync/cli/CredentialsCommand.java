package dev.ordersync.cli;

import dev.ordersync.App;
import dev.ordersync.config.AppConfig;
import dev.ordersync.config.ConfigException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(
    name = "credentials",
    mixinStandardHelpOptions = true,
    description = "The credentials order-sync keeps in its database.",
    subcommands = {CredentialsCommand.RotateKey.class})
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
}
