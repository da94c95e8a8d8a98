package dev.ordersync.cli;

import java.io.PrintStream;

/**
 * A progress line on standard error: redrawn in place on a terminal, otherwise (a log file, a pipe)
 * one line every few seconds. Off with {@code --quiet}.
 */
final class ProgressLine {
  private static final long EVERY_NANOS = 5_000_000_000L;
  private final PrintStream err;
  private final boolean terminal;
  private final boolean quiet;
  private long lastPrinted;
  private boolean drawn;

  ProgressLine(boolean quiet) {
    this.err = System.err;
    this.terminal = System.console() != null;
    this.quiet = quiet;
  }

  synchronized void show(String line) {
    if (quiet) {
      return;
    }
    long now = System.nanoTime();
    if (terminal) {
      err.print("\r" + line + "\u001b[K");
      drawn = true;
    } else if (lastPrinted == 0 || now - lastPrinted >= EVERY_NANOS) {
      err.println(line);
      lastPrinted = now;
    }
  }

  /** Ends a line drawn in place, so that what follows starts on a line of its own. */
  synchronized void done() {
    if (drawn) {
      err.println();
      drawn = false;
    }
  }
}
