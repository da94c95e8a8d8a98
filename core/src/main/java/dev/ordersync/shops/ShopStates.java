package dev.ordersync.shops;

import dev.ordersync.config.ShopDomain;
import dev.ordersync.db.Database;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.jdbi.v3.core.Handle;

/**
 * Each shop's state, kept in the database so that every instance sees it at its next job: active,
 * paused by an operator, or uninstalled by the merchant (no further call to Shopify; its orders
 * stay), or removed by an operator (its data kept). A shop without a row is active.
 */
public final class ShopStates {
  /** What a shop's jobs do. */
  public enum State {
    ACTIVE,
    PAUSED,
    UNINSTALLED,
    /**
     * {@code shops remove}: served no more, its data kept; an install or a resume brings it back.
     */
    REMOVED;

    public String word() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  private final Database db;

  public ShopStates(Database db) {
    this.db = db;
  }

  public State of(ShopDomain shop) {
    return db.read(h -> of(h, shop));
  }

  /** Whether the shop's jobs may call Shopify. */
  public boolean active(ShopDomain shop) {
    return of(shop) == State.ACTIVE;
  }

  /** Every shop with a row, by domain. */
  public Map<String, State> all() {
    Map<String, State> out = new LinkedHashMap<>();
    db.read(
            h ->
                h.createQuery("SELECT domain, status FROM shops ORDER BY domain")
                    .map((rs, ctx) -> Map.entry(rs.getString(1), state(rs.getString(2))))
                    .list())
        .forEach(e -> out.put(e.getKey(), e.getValue()));
    return out;
  }

  public void set(ShopDomain shop, State state, Instant now) {
    db.inTransaction(
        h -> {
          set(h, shop, state, now);
          return null;
        });
  }

  /** In the caller's transaction. */
  public void set(Handle h, ShopDomain shop, State state, Instant now) {
    int updated =
        h.createUpdate(
                "UPDATE shops SET status = :status, status_changed_at = :now WHERE domain = :shop")
            .bind("status", state.name())
            .bind("now", now)
            .bind("shop", shop.value())
            .execute();
    if (updated == 0) {
      h.createUpdate(
              "INSERT INTO shops (domain, status, status_changed_at) VALUES (:shop, :status, :now)")
          .bind("status", state.name())
          .bind("now", now)
          .bind("shop", shop.value())
          .execute();
    }
  }

  private static State of(Handle h, ShopDomain shop) {
    return h.createQuery("SELECT status FROM shops WHERE domain = :shop")
        .bind("shop", shop.value())
        .mapTo(String.class)
        .findOne()
        .map(ShopStates::state)
        .orElse(State.ACTIVE);
  }

  private static State state(String stored) {
    return stored == null ? State.ACTIVE : State.valueOf(stored);
  }
}
