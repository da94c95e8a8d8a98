package dev.ordersync.bench;

/** Prints a benchmark figure as one line, and the machine it ran on once. */
final class Report {
  private Report() {}

  static void machine() {
    System.out.printf(
        "# machine: %d cores, %s %s, Java %s, max heap %d MB%n",
        Runtime.getRuntime().availableProcessors(),
        System.getProperty("os.name"),
        System.getProperty("os.arch"),
        System.getProperty("java.version"),
        Runtime.getRuntime().maxMemory() / (1024 * 1024));
  }

  static void figure(String what, double value, String unit) {
    System.out.printf("%-70s %14.1f %s%n", what, value, unit);
    System.out.flush();
  }
}
