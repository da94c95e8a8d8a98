package dev.ordersync.cli;

import dev.ordersync.App;
import dev.ordersync.config.ShopDomain;
import dev.ordersync.sync.PassResult;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
    name = "sync",
    mixinStandardHelpOptions = true,
    description = "One incremental pass per shop (a first run starts one day " + "back).")
final class SyncCommand implements Callable<Integer> {
  @Mixin CommonOptions common;

  @Option(names = "--once", description = "one pass and exit (the service is `order-sync run`)")
  boolean once;

  @Option(names = "--quiet", description = "no progress line on standard error")
  boolean quiet;

  @Override
  public Integer call() {
    if (!once) {
      throw new IllegalArgumentException(
          "sync needs --once; to keep syncing, run the service: " + "order-sync run");
    }
    try (App app = common.openApp()) {
      ProgressLine progress = new ProgressLine(quiet);
      List<PassResult> results;
      try (RetryWatch retries = new RetryWatch(app.shops().apis(), progress)) {
        results = app.sync().once(s -> progress.show(s.line()));
      }
      progress.done();
      int failed = 0;
      for (PassResult r : results) {
        if (r.ok()) {
          System.err.printf(
              "%s: ok, window [%s, %s), %d page(s), %d order(s) seen, %d written, "
                  + "%d failed to map, API cost %d%n",
              r.shop(),
              r.windowStart(),
              r.windowEnd(),
              r.pages(),
              r.ordersSeen(),
              r.ordersWritten(),
              r.ordersFailed(),
              r.apiCost());
        } else {
          failed++;
          System.err.printf("%s: FAILED: %s%n", r.shop(), r.error());
        }
      }
      return Main.exitAfter(app, failed > 0);
    }
  }

  /**
   * Shows the Shopify clients' retries on the progress line while a pass waits them out (a minute
   * of retries is otherwise silence).
   */
  private static final class RetryWatch implements AutoCloseable {
    private final java.util.concurrent.ScheduledExecutorService timer =
        java.util.concurrent.Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "sync-retry-watch");
              t.setDaemon(true);
              return t;
            });
    private final java.util.Map<ShopDomain, Long> seen = new java.util.HashMap<>();

    RetryWatch(dev.ordersync.shopify.Shops shops, ProgressLine progress) {
      for (ShopDomain shop : shops.names()) {
        seen.put(shop, shops.get(shop).client().meter().retries());
      }
      timer.scheduleWithFixedDelay(
          () -> {
            for (ShopDomain shop : seen.keySet()) {
              var meter = shops.get(shop).client().meter();
              long n = meter.retries();
              if (n > seen.get(shop)) {
                seen.put(shop, n);
                progress.show(shop + ": retrying (" + n + " so far) after " + meter.lastRetry());
              }
            }
          },
          1,
          1,
          java.util.concurrent.TimeUnit.SECONDS);
    }

    @Override
    public void close() {
      timer.shutdownNow();
    }
  }
}
