package dev.ordersync.sync;

import dev.ordersync.config.ShopDomain;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * How far Shopify's search can be trusted: up to now less the settle lag, in whole seconds
 * (invariant 2). Every window that reads search, the poll's, the sweep's and every
 * reconciliation's, ends there at the latest. With {@code sync.webhookGrace} set, while a shop's
 * webhooks flow the poll and the sweep end that far back at least, so that an order whose webhook
 * is on its way is not also fetched in full; without it, or without webhooks, they are as prompt as
 * the settle lag allows.
 */
public final class Settled {
  /** Webhooks received within this long count as flowing. */
  public static final Duration WEBHOOKS_FLOWING = Duration.ofHours(1);

  /** When the shop's last signed webhook arrived, if one ever did. */
  @FunctionalInterface
  public interface WebhookActivity {
    Optional<Instant> lastReceived(ShopDomain shop);
  }

  private final Duration settleLag;
  private final Duration webhookGrace;
  private final WebhookActivity webhooks;
  private final Clock clock;

  public Settled(Duration settleLag, Duration webhookGrace, WebhookActivity webhooks, Clock clock) {
    this.settleLag = settleLag;
    this.webhookGrace = webhookGrace;
    this.webhooks = webhooks;
    this.clock = clock;
  }

  /** Now less the settle lag, floored to the second. */
  public Instant end() {
    return Window.floorToSecond(clock.instant().minus(settleLag));
  }

  /** Where a read of the shop's search for new orders and updates ends now. */
  public Instant end(ShopDomain shop) {
    Instant now = clock.instant();
    if (webhookGrace.compareTo(settleLag) <= 0) {
      return end();
    }
    boolean flowing =
        webhooks
            .lastReceived(shop)
            .map(at -> at.isAfter(now.minus(WEBHOOKS_FLOWING)))
            .orElse(false);
    return Window.floorToSecond(now.minus(flowing ? webhookGrace : settleLag));
  }

  /** The window cut at {@link #end()}; refused when it lies wholly after it. */
  public Window clamp(Window w) {
    Instant settled = end();
    if (!w.start().isBefore(settled)) {
      throw new IllegalArgumentException(
          "the window "
              + w
              + " lies in the future (now is "
              + clock.instant()
              + "); nothing to compare yet");
    }
    return w.end().isAfter(settled) ? new Window(w.start(), settled) : w;
  }
}
