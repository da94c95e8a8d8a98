package dev.ordersync.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

@Command(name = "demo", description = "A simulated day against the simulator, with faults.")
final class DemoCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    throw new IllegalArgumentException("demo is not built yet");
  }
}
