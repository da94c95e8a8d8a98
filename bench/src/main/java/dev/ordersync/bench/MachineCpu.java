package dev.ordersync.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The whole machine's CPU time from Linux's {@code /proc/stat}: what a benchmark's JVM cannot see
 * of its own, the database beside it. Elsewhere, no figure (NaN).
 */
final class MachineCpu {
  private static final double NANOS_PER_TICK = 1e9 / 100; // USER_HZ is 100 on Linux

  private MachineCpu() {}

  /** Busy and total ticks of all cores so far; empty where /proc/stat is missing. */
  static long[] read() {
    try {
      String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
      long total = 0;
      for (int i = 1; i < f.length && i <= 8; i++) {
        total += Long.parseLong(f[i]);
      }
      long idle = Long.parseLong(f[4]) + Long.parseLong(f[5]); // idle, iowait
      return new long[] {total - idle, total};
    } catch (IOException | RuntimeException e) {
      return new long[0];
    }
  }

  /** The busy CPU time between two readings, in nanoseconds. */
  static double busyNanos(long[] before, long[] after) {
    if (before.length == 0 || after.length == 0) {
      return Double.NaN;
    }
    return (after[0] - before[0]) * NANOS_PER_TICK;
  }

  /** How many cores were busy on average between two readings. */
  static double coresBusy(long[] before, long[] after) {
    if (before.length == 0 || after.length == 0 || after[1] == before[1]) {
      return Double.NaN;
    }
    return (double) (after[0] - before[0])
        / (after[1] - before[1])
        * Runtime.getRuntime().availableProcessors();
  }
}
