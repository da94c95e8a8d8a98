package dev.ordersync.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ordersync.App;
import dev.ordersync.config.AppConfig;
import dev.ordersync.reconcile.ReconcileReport;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
    name = "report",
    mixinStandardHelpOptions = true,
    description = "Reconciliation history: each day's Shopify and stored " + "counts side by side.")
final class ReportCommand implements Callable<Integer> {
  @Mixin CommonOptions common;

  @Option(names = "--json", description = "one JSON object per line")
  boolean json;

  @Option(names = "--csv", description = "CSV with a header row")
  boolean csv;

  @Option(names = "--limit", defaultValue = "50", description = "rows, newest first (default 50)")
  int limit;

  @Override
  public Integer call() throws Exception {
    if (json && csv) {
      throw new IllegalArgumentException("give --json or --csv, not both");
    }
    AppConfig cfg = common.appConfigOrEmpty();
    List<ReconcileReport> history;
    try (App app = common.openExisting(cfg)) {
      history = app.reconcile().runs().history(common.shopDomain(), null, limit);
    }
    if (json) {
      ObjectMapper mapper = new ObjectMapper();
      for (ReconcileReport r : history) {
        System.out.println(mapper.writeValueAsString(ReportFormat.toMap(r)));
      }
    } else if (csv) {
      System.out.print(ReportFormat.csv(history));
    } else if (history.isEmpty()) {
      System.out.println("No reconciliation has run yet. Run: order-sync reconcile");
    } else {
      System.out.print(ReportFormat.table(history));
    }
    return Main.OK;
  }
}
