package dev.ordersync.cli;

import dev.ordersync.config.ConfigException;
import dev.ordersync.db.DatabaseException;
import dev.ordersync.shopify.ShopifyException;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code order-sync}: the command line. Exit codes: 0 ok, 1 work failed, 2 bad usage or config, 3
 * the database cannot be used.
 */
@Command(
    name = "order-sync",
    mixinStandardHelpOptions = true,
    version = "order-sync 0.1.0",
    description = "Imports every Shopify order into the order store, and proves it.",
    subcommands = {
      SyncCommand.class,
      ReconcileCommand.class,
      BackfillCommand.class,
      OrdersCommand.class,
      ReportCommand.class,
      RunCommand.class,
      WebhooksCommand.class,
      DoctorCommand.class,
      CredentialsCommand.class,
      ShopsCommand.class
    })
public final class Main {
  public static final int OK = 0;
  public static final int FAILED = 1;
  public static final int USAGE = 2;
  public static final int DATABASE = 3;

  /**
   * The exit code after work on {@code shops}: 2 when Shopify refused a shop's credentials (a
   * configuration error, named on standard error where it happened), else 1 when some work failed,
   * else 0.
   */
  static int exitAfter(dev.ordersync.App app, boolean failed) {
    boolean refused =
        app.shops().apis().names().stream()
            .anyMatch(s -> app.shops().apis().get(s).client().credentialsRefused());
    return refused ? USAGE : failed ? FAILED : OK;
  }

  public static void main(String[] args) {
    System.exit(run(args));
  }

  public static int run(String... args) {
    return commandLine().execute(args);
  }

  /**
   * The command line with its exit codes for expected failures; the distribution adds the simulator
   * and the demo to it.
   */
  public static CommandLine commandLine() {
    CommandLine cli = new CommandLine(new Main());
    cli.setExecutionExceptionHandler(
        (e, cmd, parsed) -> {
          PrintWriter err = cmd.getErr();
          if (e instanceof ConfigException || e instanceof IllegalArgumentException) {
            err.println("order-sync: " + e.getMessage());
            return USAGE;
          }
          if (e instanceof DatabaseException) {
            err.println("order-sync: " + e.getMessage());
            return DATABASE;
          }
          if (e instanceof ShopifyException s) {
            err.println("order-sync: " + s.getMessage());
            return s instanceof ShopifyException.CredentialsRefused ? USAGE : FAILED;
          }
          throw e;
        });
    return cli;
  }
}
