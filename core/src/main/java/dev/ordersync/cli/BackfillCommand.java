package dev.ordersync.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ordersync.App;
import dev.ordersync.shopify.ShopifyOrders;
import dev.ordersync.sync.Backfill;
import dev.ordersync.sync.BulkProgressLine;
import dev.ordersync.sync.Window;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
    name = "backfill",
    mixinStandardHelpOptions = true,
    description =
        "Import every order created in a window through a Shopify bulk operation (outside the "
            + "rate limit), by pages where the operation fails. A backfill that died resumes its "
            + "operation when run again with the same window.")
final class BackfillCommand implements Callable<Integer> {
  @Mixin CommonOptions common;

  @Option(
      names = "--from",
      required = true,
      paramLabel = "ISO",
      description = "window start, inclusive (orders created at or after)")
  String from;

  @Option(
      names = "--to",
      required = true,
      paramLabel = "ISO",
      description = "window end, exclusive (orders created before)")
  String to;

  @Option(names = "--json", description = "one JSON object per shop on standard output")
  boolean json;

  @Option(names = "--quiet", description = "no progress line on standard error")
  boolean quiet;

  @Override
  public Integer call() throws Exception {
    Instant start = ReconcileCommand.parseInstant("--from", from);
    Instant end = ReconcileCommand.parseInstant("--to", to);
    if (!start.isBefore(end)) {
      throw new IllegalArgumentException("--from " + from + " must be before --to " + to);
    }
    Window window = new Window(start, end);
    ObjectMapper mapper = new ObjectMapper();
    try (App app = common.openApp()) {
      boolean failed = false;
      ProgressLine progress = new ProgressLine(quiet);
      for (ShopifyOrders api : app.shops().apis().all()) {
        Backfill.Result r =
            app.sync()
                .backfill()
                .run(
                    api,
                    window,
                    s ->
                        progress.show(
                            s.shop() + ": backfill " + s.window() + ": " + BulkProgressLine.of(s)));
        progress.done();
        // exit 0 only when every order of the window is stored: a kept failure is not
        failed |= !r.ok() || r.failed() > 0;
        if (json) {
          System.out.println(mapper.writeValueAsString(toMap(r)));
        } else {
          System.err.println(line(r));
        }
      }
      return Main.exitAfter(app, failed);
    }
  }

  private static String line(Backfill.Result r) {
    if (!r.ok()) {
      return r.shop() + ": backfill of " + r.window() + " FAILED: " + r.error();
    }
    return String.format(
        "%s: backfill of %s done by %s: %,d order(s) in the window, %,d written, %,d failed to "
            + "map or store, API cost %,d, %,d s%s",
        r.shop(),
        r.window(),
        r.method(),
        r.orders(),
        r.written(),
        r.failed(),
        r.apiCost(),
        r.took().toSeconds(),
        r.fellBackBecause() == null ? "" : " (the bulk operation: " + r.fellBackBecause() + ")");
  }

  private static Map<String, Object> toMap(Backfill.Result r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("shop", r.shop());
    m.put("from", r.window().start().toString());
    m.put("to", r.window().end().toString());
    m.put("status", r.ok() ? "OK" : "FAILED");
    m.put("method", r.method());
    m.put("orders", r.orders());
    m.put("written", r.written());
    m.put("failed", r.failed());
    m.put("apiCost", r.apiCost());
    m.put("seconds", r.took().toSeconds());
    m.put("fellBackBecause", r.fellBackBecause());
    m.put("error", r.error());
    return m;
  }
}
