package dev.ordersync.sync;

/** A bulk import's progress in words: phase, objects, orders stored, rate and time left. */
public final class BulkProgressLine {
  private BulkProgressLine() {}

  public static String of(BulkWindowImport.Snapshot s) {
    StringBuilder b = new StringBuilder();
    switch (s.phase()) {
      case "WAITING" -> b.append("waiting for Shopify to allow another bulk query");
      case "DOWNLOADING" -> {
        double seconds = Math.max(0.001, s.downloadTime().toMillis() / 1000.0);
        double rate = s.storedThisRun() / seconds;
        b.append(String.format("%,d of %,d orders stored", s.stored(), s.orders()));
        b.append(String.format(", %,.0f orders/s", rate));
        if (rate > 0 && s.orders() > s.stored()) {
          b.append(String.format(", ETA %,.0f s", (s.orders() - s.stored()) / rate));
        }
      }
      default ->
          b.append(
              String.format(
                  "Shopify %s: %,d objects processed, %,d orders",
                  s.phase(), s.objects(), s.orders()));
    }
    b.append(String.format(" (%,d s)", s.elapsed().toSeconds()));
    return b.toString();
  }
}
