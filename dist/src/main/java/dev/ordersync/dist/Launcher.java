package dev.ordersync.dist;

import dev.ordersync.cli.Main;
import picocli.CommandLine;

/**
 * The launcher's order-sync: every command of the service, plus the local fake Shopify ({@code
 * simulator}) and the simulated day ({@code demo}), which the service's own artifact does not
 * carry.
 */
public final class Launcher {
  private Launcher() {}

  public static void main(String[] args) {
    System.exit(run(args));
  }

  public static int run(String... args) {
    CommandLine cli = Main.commandLine();
    cli.addSubcommand(new SimulatorCommand());
    cli.addSubcommand(new DemoCommand());
    return cli.execute(args);
  }
}
