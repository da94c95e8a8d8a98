package dev.ordersync.demo;

import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The demo's figures, side by side for order-sync and the naive importer. */
public record DemoResult(
    long seed,
    int shopifyOrders,
    int stored,
    int lost,
    int duplicates,
    int stale,
    int naiveStored,
    int naiveLost,
    int naiveFailedWindows,
    int recoveredBySweep,
    int recoveredByReconcile,
    int storedByWebhookFirst,
    double maxRecoveryMinutes,
    Recovery recovery,
    long apiCost,
    long apiRequests,
    long throttled,
    long retries,
    Map<String, Long> simulatorOutcomes,
    Map<String, Long> pointsByQuery,
    List<Day> days,
    long wallMillis) {

  public record Day(LocalDate date, int shopify, int stored, int naive) {}

  /**
   * Minutes from each order's creation (its latest write) at Shopify to its first storing here: the
   * median and the 99th percentile of every order, and the 99th of those no webhook stored; and,
   * outside Shopify's faults, the time from when Shopify could first show the order (after its
   * index lag) that Shopify's API answered until it was stored (a burst of 500s or an outage in
   * between does not count), the 99th percentile and the slowest.
   */
  public record Recovery(
      double p50Minutes,
      double p99Minutes,
      double missedP99Minutes,
      double outsideFaultsP99Minutes,
      double outsideFaultsMaxMinutes) {
    public static Recovery of(List<Double> all, List<Double> missed, List<Double> sinceReadable) {
      return new Recovery(
          percentile(all, 0.5),
          percentile(all, 0.99),
          percentile(missed, 0.99),
          percentile(sinceReadable, 0.99),
          sinceReadable.stream().mapToDouble(Double::doubleValue).max().orElse(0));
    }

    private static double percentile(List<Double> values, double p) {
      if (values.isEmpty()) {
        return 0;
      }
      List<Double> sorted = values.stream().sorted().toList();
      return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p * sorted.size()) - 1));
    }
  }

  public boolean nothingLost() {
    return lost == 0 && duplicates == 0;
  }

  public Map<String, Object> toJson() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("seed", seed);
    m.put("shopifyOrders", shopifyOrders);
    m.put("stored", stored);
    m.put("lost", lost);
    m.put("duplicates", duplicates);
    m.put("stale", stale);
    m.put("naiveStored", naiveStored);
    m.put("naiveLost", naiveLost);
    m.put("naiveFailedWindows", naiveFailedWindows);
    m.put("recovered", recoveredBySweep + recoveredByReconcile);
    m.put("recoveredBySweep", recoveredBySweep);
    m.put("recoveredByReconcile", recoveredByReconcile);
    m.put("storedByWebhookFirst", storedByWebhookFirst);
    m.put("maxRecoveryMinutes", Math.round(maxRecoveryMinutes * 10) / 10.0);
    m.put("recoveryP50Minutes", Math.round(recovery.p50Minutes() * 10) / 10.0);
    m.put("recoveryP99Minutes", Math.round(recovery.p99Minutes() * 10) / 10.0);
    m.put("missedRecoveryP99Minutes", Math.round(recovery.missedP99Minutes() * 10) / 10.0);
    m.put(
        "recoveryOutsideFaultsP99Minutes",
        Math.round(recovery.outsideFaultsP99Minutes() * 10) / 10.0);
    m.put(
        "maxRecoveryOutsideFaultsMinutes",
        Math.round(recovery.outsideFaultsMaxMinutes() * 10) / 10.0);
    m.put("apiCost", apiCost);
    m.put(
        "apiCostPerOrder",
        shopifyOrders == 0 ? 0 : Math.round(apiCost * 100.0 / shopifyOrders) / 100.0);
    m.put("apiRequests", apiRequests);
    m.put("throttled", throttled);
    m.put("retries", retries);
    m.put("simulatorOutcomes", simulatorOutcomes);
    m.put("pointsByQuery", pointsByQuery);
    m.put(
        "days",
        days.stream()
            .map(
                d ->
                    Map.of(
                        "date",
                        d.date().toString(),
                        "shopify",
                        d.shopify(),
                        "stored",
                        d.stored(),
                        "naive",
                        d.naive()))
            .toList());
    m.put("wallSeconds", Math.round(wallMillis / 100.0) / 10.0);
    return m;
  }

  public String table() {
    StringBuilder b = new StringBuilder();
    String row = "  %-44s %12s %16s%n";
    b.append(String.format("%nA simulated day (seed %d): what reached the order store%n%n", seed));
    b.append(String.format(row, "", "order-sync", "naive importer"));
    b.append(String.format(row, "orders in Shopify", shopifyOrders, shopifyOrders));
    b.append(String.format(row, "stored", stored, naiveStored));
    b.append(String.format(row, "LOST (never reached the store)", lost, naiveLost));
    b.append(String.format(row, "duplicates", duplicates, "-"));
    b.append(String.format(row, "stored at an older version than Shopify's", stale, "-"));
    b.append(String.format(row, "recovered by the sweep", recoveredBySweep, "-"));
    b.append(
        String.format(row, "recovered by the nightly reconciliation", recoveredByReconcile, "-"));
    b.append(String.format(row, "first stored by a webhook", storedByWebhookFirst, "-"));
    b.append(
        String.format(
            row,
            "slowest recovery (minutes after creation)",
            String.format("%.1f", maxRecoveryMinutes),
            "never"));
    b.append(
        String.format(
            row,
            "creation to stored, p50 / p99 (minutes)",
            String.format("%.1f / %.1f", recovery.p50Minutes(), recovery.p99Minutes()),
            "next night"));
    b.append(
        String.format(
            row,
            "outside Shopify's faults, p99 / slowest",
            String.format(
                "%.1f / %.1f",
                recovery.outsideFaultsP99Minutes(), recovery.outsideFaultsMaxMinutes()),
            "-"));
    b.append(String.format(row, "windows given up on", 0, naiveFailedWindows));
    b.append(String.format(row, "API cost (points)", apiCost, "-"));
    b.append(
        String.format(
            row,
            "API requests / throttled / retried",
            apiRequests + " / " + throttled + " / " + retries,
            "-"));
    b.append(String.format("%n  Each shop-local day, counts side by side:%n"));
    b.append(
        String.format(
            "  %-12s %10s %12s %16s%n", "day", "Shopify", "order-sync", "naive importer"));
    for (Day d : days) {
      b.append(
          String.format("  %-12s %10d %12d %16d%n", d.date(), d.shopify(), d.stored(), d.naive()));
    }
    b.append(String.format("%n  Faults the simulator served: %s%n", simulatorOutcomes));
    b.append(String.format("  Took %.1f s of wall time.%n", wallMillis / 1000.0));
    b.append(
        nothingLost()
            ? String.format("%n  order-sync lost nothing.%n")
            : String.format(
                "%n  order-sync LOST %d order(s) and stored %d duplicate(s).%n", lost, duplicates));
    return b.toString();
  }
}
