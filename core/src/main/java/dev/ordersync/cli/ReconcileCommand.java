package dev.ordersync.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ordersync.App;
import dev.ordersync.reconcile.ReconcileReport;
import dev.ordersync.sync.Window;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
    name = "reconcile",
    mixinStandardHelpOptions = true,
    description =
        "Compare Shopify's orders with the stored ones, import "
            + "the missing, print the report. Default: each shop's previous shop-local days.")
final class ReconcileCommand implements Callable<Integer> {
  @Mixin CommonOptions common;

  @Option(
      names = "--date",
      paramLabel = "YYYY-MM-DD",
      description = "one shop-local day: [D 00:00, D+1 00:00) in the shop's time zone")
  String date;

  @Option(names = "--from", paramLabel = "ISO", description = "window start (inclusive)")
  String from;

  @Option(names = "--to", paramLabel = "ISO", description = "window end (exclusive)")
  String to;

  @Option(names = "--full", description = "compare every order id instead of narrowing by counts")
  boolean full;

  @Option(names = "--json", description = "one JSON object per line per shop and window")
  boolean json;

  @Option(names = "--quiet", description = "no progress line on standard error")
  boolean quiet;

  @Override
  public Integer call() throws Exception {
    if (date != null && (from != null || to != null)) {
      throw new IllegalArgumentException("give either --date or --from/--to, not both");
    }
    if ((from == null) != (to == null)) {
      throw new IllegalArgumentException("--from and --to go together");
    }
    LocalDate day = date == null ? null : parseDate(date);
    Window window = null;
    if (from != null) {
      Instant start = parseInstant("--from", from);
      Instant end = parseInstant("--to", to);
      if (!start.isBefore(end)) {
        throw new IllegalArgumentException("--from " + from + " must be before --to " + to);
      }
      window = new Window(start, end);
    }
    List<ReconcileReport> reports = new ArrayList<>();
    int exit;
    ProgressLine progress = new ProgressLine(quiet);
    java.util.function.Consumer<ReconcileReport> each =
        r ->
            progress.show(
                String.format(
                    "%s: reconciled %s: %s, Shopify %s, stored %d, missing %d, imported %d, "
                        + "%,d API points, %,d ms",
                    r.shop(),
                    r.localDate() != null ? r.localDate() : new Window(r.from(), r.to()),
                    r.status(),
                    r.shopifyCount() == null ? "?" : r.shopifyCount(),
                    r.omsCountAfter(),
                    r.missing().size(),
                    r.imported(),
                    r.apiCost(),
                    r.durationMs()));
    try (App app = common.openApp()) {
      ReconcileReport.Kind manual = ReconcileReport.Kind.MANUAL;
      if (window != null) {
        reports.addAll(app.reconcile().reconciliations().window(window, manual, full, each));
      } else if (day != null) {
        reports.addAll(app.reconcile().reconciliations().days(List.of(day), manual, full, each));
      } else {
        reports.addAll(app.reconcile().reconciliations().previousDays(manual, full, each));
      }
      progress.done();
      boolean incomplete = false;
      for (ReconcileReport r : reports) {
        incomplete |=
            r.stillMissing() > 0
                || (r.reason() != null && r.reason().startsWith("could not finish"));
      }
      exit = Main.exitAfter(app, incomplete);
    }
    ObjectMapper mapper = new ObjectMapper();
    for (ReconcileReport r : reports) {
      if (json) {
        System.out.println(mapper.writeValueAsString(ReportFormat.toMap(r)));
      }
    }
    if (!json) {
      System.out.print(ReportFormat.table(reports));
    }
    return exit;
  }

  private static LocalDate parseDate(String text) {
    try {
      return LocalDate.parse(text);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("--date " + text + " is not a date such as 2026-11-26");
    }
  }

  static Instant parseInstant(String option, String text) {
    try {
      return Window.floorToSecond(OffsetDateTime.parse(text).toInstant());
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(
          option
              + " "
              + text
              + " is not an ISO-8601 time with "
              + "an offset, such as 2026-11-26T00:00:00Z or 2026-11-26T00:00:00-05:00");
    }
  }
}
