package dev.ordersync.simulator.store;

import dev.ordersync.simulator.search.SearchQuery;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * The orders of one simulated shop. Thread-safe. Search (the {@code orders} and {@code ordersCount}
 * fields) sees the shop through a lagging index: a version becomes searchable {@code indexLag}
 * after it was written, while lookups by id ({@code order}, {@code nodes}) see the newest version
 * at once, as Shopify's do.
 */
public final class SimShop {
  private final Clock clock;
  private final String domain;
  private final ZoneId zone;
  private final String currency;
  private final ConcurrentHashMap<Long, Entry> orders = new ConcurrentHashMap<>();

  /** Orders by (createdAt, id): createdAt never changes. */
  private final ConcurrentSkipListMap<TimeKey, Entry> byCreated = new ConcurrentSkipListMap<>();

  /** Orders by (updatedAt, id) of every version search may see: the current and the last one. */
  private final ConcurrentSkipListMap<TimeKey, Entry> byUpdated = new ConcurrentSkipListMap<>();

  private final List<Consumer<OrderEvent>> listeners = new CopyOnWriteArrayList<>();
  private volatile Duration indexLag = Duration.ZERO;
  private long nextId = 5_000_000_001L;
  private int nextNumber = 1001;

  public SimShop(Clock clock, String domain, ZoneId zone, String currency) {
    this.clock = clock;
    this.domain = domain;
    this.zone = zone;
    this.currency = currency;
  }

  public Clock clock() {
    return clock;
  }

  public String domain() {
    return domain;
  }

  public ZoneId zone() {
    return zone;
  }

  public String currency() {
    return currency;
  }

  public void setIndexLag(Duration lag) {
    this.indexLag = lag;
  }

  public void onEvent(Consumer<OrderEvent> listener) {
    listeners.add(listener);
  }

  /** Creates an order now. */
  public SimOrder create(OrderDraft draft) {
    return create(draft, now(), now());
  }

  /**
   * Creates an order written at {@code writtenAt}; {@code createdAt} may lie before it, as for
   * imported orders and offline POS sales that sync late.
   */
  public SimOrder create(OrderDraft draft, Instant createdAt, Instant writtenAt) {
    SimOrder order;
    synchronized (this) {
      order = draft.toOrder(nextId++, nextNumber++, createdAt, writtenAt);
    }
    Entry entry = new Entry(order, writtenAt.plus(indexLag));
    orders.put(order.id(), entry);
    byCreated.put(new TimeKey(order.createdAt(), order.id()), entry);
    byUpdated.put(new TimeKey(order.updatedAt(), order.id()), entry);
    publish(new OrderEvent(OrderEvent.Topic.ORDERS_CREATE, order, writtenAt));
    return order;
  }

  /** Replaces an order with a newer version; {@code change} gets the current one. */
  public Optional<SimOrder> update(
      long id, UnaryOperator<SimOrder> change, OrderEvent.Topic topic) {
    Entry e = orders.get(id);
    if (e == null || e.deleted) {
      return Optional.empty();
    }
    SimOrder updated;
    synchronized (e) {
      updated = change.apply(e.current);
      if (!updated.updatedAt().isAfter(e.current.updatedAt())) {
        throw new IllegalArgumentException("an update must move updatedAt forward");
      }
      SimOrder stalePrevious = e.previouslyIndexed;
      e.write(updated, updated.updatedAt().plus(indexLag), now());
      if (stalePrevious != null && stalePrevious != e.previouslyIndexed) {
        byUpdated.remove(new TimeKey(stalePrevious.updatedAt(), id));
      }
      byUpdated.put(new TimeKey(updated.updatedAt(), id), e);
    }
    publish(new OrderEvent(topic, updated, updated.updatedAt()));
    return Optional.of(updated);
  }

  public boolean delete(long id) {
    Entry e = orders.get(id);
    if (e == null || e.deleted) {
      return false;
    }
    e.deleted = true;
    publish(new OrderEvent(OrderEvent.Topic.ORDERS_DELETE, e.current, now()));
    return true;
  }

  /** The newest version, as {@code order(id:)} and {@code nodes(ids:)} see it. */
  public Optional<SimOrder> byId(long id) {
    Entry e = orders.get(id);
    return e == null || e.deleted ? Optional.empty() : Optional.of(e.current);
  }

  /**
   * What search sees now: per order, the newest version old enough to be indexed, paired with the
   * newest version (what a search result shows).
   */
  public List<Indexed> searchable() {
    return searchable(null, null);
  }

  /**
   * What search sees now, narrowed by the implied bounds of a query (see SearchQuery) so that a
   * window does not scan the whole shop. The caller still applies the query itself.
   */
  public List<Indexed> searchable(SearchQuery.Range created, SearchQuery.Range updated) {
    Instant now = now();
    java.util.Collection<Entry> candidates;
    if (created != null) {
      candidates = range(byCreated, created).values();
    } else if (updated != null) {
      candidates = new java.util.LinkedHashSet<>(range(byUpdated, updated).values());
    } else {
      candidates = orders.values();
    }
    List<Indexed> out = new ArrayList<>();
    for (Entry e : candidates) {
      if (e.deleted) {
        continue;
      }
      SimOrder indexed = e.indexedAt(now);
      if (indexed != null) {
        out.add(new Indexed(indexed, e.current));
      }
    }
    return out;
  }

  /**
   * Up to {@code max} searchable orders in (createdAt, id) order, created in {@code created}, after
   * the position {@code (afterCreated, afterId)} when given, that {@code match}: a keyset page
   * straight from the index, for large windows sorted by CREATED_AT.
   */
  public List<Indexed> scanCreated(
      SearchQuery.Range created,
      Instant afterCreated,
      long afterId,
      java.util.function.Predicate<SimOrder> match,
      int max) {
    Instant now = now();
    java.util.NavigableMap<TimeKey, Entry> view = range(byCreated, created);
    if (afterCreated != null) {
      view = view.tailMap(new TimeKey(afterCreated, afterId), false);
    }
    List<Indexed> out = new ArrayList<>();
    for (Entry e : view.values()) {
      if (e.deleted) {
        continue;
      }
      SimOrder indexed = e.indexedAt(now);
      if (indexed != null && match.test(indexed)) {
        out.add(new Indexed(indexed, e.current));
        if (out.size() >= max) {
          break;
        }
      }
    }
    return out;
  }

  private static java.util.NavigableMap<TimeKey, Entry> range(
      ConcurrentSkipListMap<TimeKey, Entry> index, SearchQuery.Range r) {
    TimeKey lo = r.from() == null ? null : new TimeKey(r.from(), Long.MIN_VALUE);
    TimeKey hi = r.to() == null ? null : new TimeKey(r.to(), Long.MIN_VALUE);
    if (lo != null && hi != null) {
      return lo.compareTo(hi) >= 0 ? new java.util.TreeMap<>() : index.subMap(lo, hi);
    }
    if (lo != null) {
      return index.tailMap(lo);
    }
    return hi != null ? index.headMap(hi) : index;
  }

  private record TimeKey(Instant at, long id) implements Comparable<TimeKey> {
    @Override
    public int compareTo(TimeKey o) {
      int c = at.compareTo(o.at);
      return c != 0 ? c : Long.compare(id, o.id);
    }
  }

  /** Every order the shop holds, deleted ones left out: the truth the demo and chaos compare to. */
  public List<SimOrder> allOrders() {
    return orders.values().stream().filter(e -> !e.deleted).map(e -> e.current).toList();
  }

  /** When an order was first written: its createdAt, unless it was backdated. */
  public Optional<Instant> writtenAt(long id) {
    Entry e = orders.get(id);
    return e == null ? Optional.empty() : Optional.of(e.writtenAt);
  }

  public int size() {
    return orders.size();
  }

  public Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.SECONDS);
  }

  private void publish(OrderEvent event) {
    for (Consumer<OrderEvent> l : listeners) {
      l.accept(event);
    }
  }

  /** A search hit: {@code indexed} decides whether it matches, {@code current} is returned. */
  public record Indexed(SimOrder indexed, SimOrder current) {}

  private static final class Entry {
    volatile SimOrder current;
    volatile SimOrder previouslyIndexed;
    volatile Instant currentVisibleAt;
    volatile boolean deleted;
    final Instant writtenAt;

    Entry(SimOrder first, Instant visibleAt) {
      this.current = first;
      this.writtenAt = first.updatedAt();
      this.currentVisibleAt = visibleAt;
    }

    void write(SimOrder next, Instant visibleAt, Instant now) {
      previouslyIndexed = indexedAt(now);
      current = next;
      currentVisibleAt = visibleAt;
    }

    SimOrder indexedAt(Instant now) {
      return now.isBefore(currentVisibleAt) ? previouslyIndexed : current;
    }
  }
}
