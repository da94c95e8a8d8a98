package dev.ordersync.cli;

import dev.ordersync.reconcile.ReconcileReport;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reconciliation reports as a table, as JSON objects and as CSV rows. */
final class ReportFormat {
  private ReportFormat() {}

  static final List<String> CSV_COLUMNS =
      List.of(
          "shop",
          "kind",
          "localDate",
          "from",
          "to",
          "shopifyCount",
          "omsCountBefore",
          "omsCountAfter",
          "missingCount",
          "imported",
          "stillMissing",
          "extraCount",
          "status",
          "apiCost",
          "durationMs",
          "startedAt",
          "reason");

  static Map<String, Object> toMap(ReconcileReport r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("shop", r.shop());
    m.put("kind", r.kind().name());
    m.put("localDate", r.localDate() == null ? null : r.localDate().toString());
    m.put("from", r.from().toString());
    m.put("to", r.to().toString());
    m.put("shopifyCount", r.shopifyCount());
    m.put("omsCountBefore", r.omsCountBefore());
    m.put("omsCountAfter", r.omsCountAfter());
    m.put("missing", r.missing());
    m.put("imported", r.imported());
    m.put("stillMissing", r.stillMissing());
    m.put("extra", r.extra());
    m.put("status", r.status().name());
    m.put("reason", r.reason());
    m.put("apiCost", r.apiCost());
    m.put("durationMs", r.durationMs());
    m.put("startedAt", r.startedAt().toString());
    return m;
  }

  static String table(List<ReconcileReport> reports) {
    StringBuilder b = new StringBuilder();
    String fmt = "%-28s %-8s %-23s %9s %9s %9s %8s %9s %8s %-9s %8s%n";
    b.append(
        String.format(
            fmt,
            "SHOP",
            "KIND",
            "DAY / WINDOW START",
            "SHOPIFY",
            "OMS BEFORE",
            "OMS AFTER",
            "MISSING",
            "IMPORTED",
            "STILL",
            "STATUS",
            "API COST"));
    for (ReconcileReport r : reports) {
      b.append(
          String.format(
              fmt,
              r.shop(),
              r.kind(),
              r.localDate() != null ? r.localDate().toString() : r.from().toString(),
              r.shopifyCount() == null ? "?" : r.shopifyCount(),
              r.omsCountBefore(),
              r.omsCountAfter(),
              r.missing().size(),
              r.imported(),
              r.stillMissing(),
              r.status(),
              r.apiCost()));
      if (r.reason() != null) {
        b.append("    ").append(r.reason()).append('\n');
      }
    }
    return b.toString();
  }

  static String csv(List<ReconcileReport> reports) {
    StringBuilder b = new StringBuilder(String.join(",", CSV_COLUMNS)).append('\n');
    for (ReconcileReport r : reports) {
      Map<String, Object> m = toMap(r);
      m.put("missingCount", r.missing().size());
      m.put("extraCount", r.extra().size());
      List<String> cells = CSV_COLUMNS.stream().map(c -> csvCell(m.get(c))).toList();
      b.append(String.join(",", cells)).append('\n');
    }
    return b.toString();
  }

  private static String csvCell(Object v) {
    if (v == null) {
      return "";
    }
    String s = v.toString();
    return s.contains(",") || s.contains("\"") || s.contains("\n") || s.contains("\r")
        ? "\"" + s.replace("\"", "\"\"") + "\""
        : s;
  }
}
