package dev.ordersync.orders;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The changes one transaction made to stored orders, gathered as the store writes them and appended
 * to the change log just before the transaction commits ({@link ChangeLog}). A version already
 * stored makes no change.
 */
public final class OrderChanges {
  /** One change, before it has its number. */
  public record Pending(
      String shop,
      String id,
      ChangeKind kind,
      Instant updatedAt,
      Instant storedAt,
      StorePath path) {}

  private final List<Pending> changes = new ArrayList<>();

  void created(Order o, StorePath path, Instant now) {
    changes.add(new Pending(o.shop(), o.id(), ChangeKind.CREATED, o.updatedAt(), now, path));
  }

  void updated(Order o, StorePath path, Instant now) {
    changes.add(new Pending(o.shop(), o.id(), ChangeKind.UPDATED, o.updatedAt(), now, path));
  }

  void deleted(String shop, String id, Instant at, StorePath path, Instant now) {
    changes.add(new Pending(shop, id, ChangeKind.DELETED, at, now, path));
  }

  void redacted(String shop, String id, Instant updatedAt, Instant now) {
    changes.add(new Pending(shop, id, ChangeKind.REDACTED, updatedAt, now, StorePath.WEBHOOK));
  }

  void shopRedacted(String shop, Instant now) {
    changes.add(new Pending(shop, "", ChangeKind.SHOP_REDACTED, now, now, StorePath.WEBHOOK));
  }

  /** Where the list stands now, to go back to when a savepoint is rolled back. */
  int mark() {
    return changes.size();
  }

  void resetTo(int mark) {
    changes.subList(mark, changes.size()).clear();
  }

  /** The orders this transaction stored for the first time. */
  List<Pending> created() {
    return changes.stream().filter(c -> c.kind() == ChangeKind.CREATED).toList();
  }

  public List<Pending> list() {
    return List.copyOf(changes);
  }

  public boolean isEmpty() {
    return changes.isEmpty();
  }
}
