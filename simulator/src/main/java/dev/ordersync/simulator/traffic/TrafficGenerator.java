package dev.ordersync.simulator.traffic;

import dev.ordersync.simulator.store.OrderDraft;
import dev.ordersync.simulator.store.SimAddress;
import dev.ordersync.simulator.store.SimCustomer;
import dev.ordersync.simulator.store.SimLineItem;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

/** Seeded, realistic order traffic: the same seed gives the same orders at the same seconds. */
public final class TrafficGenerator {
  private static final String[] FIRST = {
    "Ada",
    "Grace",
    "Alan",
    "Linus",
    "Barbara",
    "Ken",
    "Margaret",
    "Edsger",
    "Frances",
    "Donald",
    "Radia",
    "John"
  };
  private static final String[] LAST = {
    "Lovelace",
    "Hopper",
    "Turing",
    "Torvalds",
    "Liskov",
    "Thompson",
    "Hamilton",
    "Dijkstra",
    "Allen",
    "Knuth",
    "Perlman",
    "Backus"
  };
  private static final String[][] PLACES = {
    {"New York", "New York", "NY", "United States", "US", "10001"},
    {"Austin", "Texas", "TX", "United States", "US", "73301"},
    {"Toronto", "Ontario", "ON", "Canada", "CA", "M5H 2N2"},
    {"London", "England", "ENG", "United Kingdom", "GB", "EC1A 1BB"},
    {"Berlin", "Berlin", "BE", "Germany", "DE", "10115"},
    {"Sydney", "New South Wales", "NSW", "Australia", "AU", "2000"}
  };
  private static final String[] PRODUCTS = {
    "Canvas Tote",
    "Wool Beanie",
    "Linen Shirt",
    "Trail Sneaker",
    "Ceramic Mug",
    "Leather Wallet",
    "Rain Jacket",
    "Cotton Socks"
  };
  private static final String[] CURRENCIES = {"USD", "USD", "USD", "USD", "CAD", "EUR", "GBP"};

  /** Relative order rate per shop-local hour: quiet nights, a lunch bump, an evening peak. */
  private static final double[] HOURLY = {
    2, 1, 1, 1, 1, 2, 3, 5, 7, 8, 9, 10, 11, 10, 9, 9, 9, 10, 12, 13, 12, 9, 6, 4
  };

  private final Random random;
  private final ZoneId zone;
  private long nextLineItemId = 9_000_000_001L;
  private long nextVariantId = 40_000_000_001L;

  public TrafficGenerator(long seed, ZoneId zone) {
    this.random = new Random(seed);
    this.zone = zone;
  }

  /** {@code count} orders created in {@code [from, to)}, with their later updates. */
  public List<TrafficEvent> between(Instant from, Instant to, int count, TrafficShape shape) {
    long seconds = Duration.between(from, to).getSeconds();
    if (seconds <= 0 || count < 0) {
      throw new IllegalArgumentException("traffic needs a non-empty window and a count >= 0");
    }
    double[] weight = new double[(int) ((seconds + 59) / 60)];
    double total = 0;
    for (int m = 0; m < weight.length; m++) {
      ZonedDateTime local = from.plusSeconds(m * 60L).atZone(zone);
      double w = HOURLY[local.getHour()];
      if (shape.flashSaleAt() != null) {
        ZonedDateTime saleStart = local.with(shape.flashSaleAt());
        if (!local.isBefore(saleStart) && local.isBefore(saleStart.plus(shape.flashSaleLength()))) {
          w *= shape.flashSaleMultiplier();
        }
      }
      total += w;
      weight[m] = total;
    }
    List<TrafficEvent> events = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      double pick = random.nextDouble() * total;
      int minute = upperBound(weight, pick);
      long offset = Math.min(seconds - 1, minute * 60L + random.nextInt(60));
      Instant at = from.plusSeconds(offset);
      Instant createdAt = at;
      if (random.nextDouble() < shape.backdatedShare()) {
        createdAt = at.minusSeconds(600 + random.nextInt(6 * 3600));
      }
      events.add(new TrafficEvent(at, TrafficEvent.Kind.CREATE, i, draft(shape), createdAt));
      if (random.nextDouble() < shape.updatedShare()) {
        events.add(
            new TrafficEvent(
                at.plusSeconds(300 + random.nextInt(6 * 3600)),
                TrafficEvent.Kind.UPDATE,
                i,
                null,
                null));
      }
      if (random.nextDouble() < shape.cancelledShare()) {
        events.add(
            new TrafficEvent(
                at.plusSeconds(600 + random.nextInt(8 * 3600)),
                TrafficEvent.Kind.CANCEL,
                i,
                null,
                null));
      }
    }
    events.sort(Comparator.comparing(TrafficEvent::at));
    return events;
  }

  private static int upperBound(double[] cumulative, double value) {
    int lo = 0;
    int hi = cumulative.length - 1;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (cumulative[mid] <= value) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  /** One customer's order: 1-5 line items (rarely 60), an address, sometimes a guest. */
  public OrderDraft draft(TrafficShape shape) {
    String first = FIRST[random.nextInt(FIRST.length)];
    String last = LAST[random.nextInt(LAST.length)];
    String email = (first + "." + last + random.nextInt(1000) + "@example.com").toLowerCase();
    String[] place = PLACES[random.nextInt(PLACES.length)];
    SimAddress address =
        new SimAddress(
            random.nextInt(1_000_000),
            first,
            last,
            null,
            (1 + random.nextInt(999)) + " Market Street",
            random.nextInt(4) == 0 ? "Apt 2" : null,
            place[0],
            place[1],
            place[2],
            place[3],
            place[4],
            place[5],
            "+1555" + random.nextInt(10_000_000));
    boolean guest = random.nextInt(5) == 0;
    SimCustomer customer =
        guest
            ? null
            : new SimCustomer(7_000_000_000L + random.nextInt(1_000_000), first, last, email);
    String currency = CURRENCIES[random.nextInt(CURRENCIES.length)];
    int items = random.nextInt(500) == 0 ? 60 : 1 + random.nextInt(5);
    List<SimLineItem> lineItems = new ArrayList<>(items);
    for (int i = 0; i < items; i++) {
      String product = PRODUCTS[random.nextInt(PRODUCTS.length)];
      int qty = 1 + random.nextInt(3);
      BigDecimal price = BigDecimal.valueOf(500 + random.nextInt(15_000), 2);
      lineItems.add(
          new SimLineItem(
              nextLineItemId++,
              "SKU-" + (1000 + random.nextInt(9000)),
              product,
              qty,
              qty,
              nextVariantId++,
              price));
    }
    BigDecimal shipping = BigDecimal.valueOf(random.nextInt(3) * 500, 2);
    BigDecimal subtotal =
        lineItems.stream()
            .map(li -> li.unitPrice().multiply(BigDecimal.valueOf(li.quantity())))
            .reduce(BigDecimal.ZERO, BigDecimal::add);
    BigDecimal tax = subtotal.multiply(BigDecimal.valueOf(8, 2)).setScale(2, RoundingMode.HALF_UP);
    BigDecimal discount =
        random.nextInt(10) == 0
            ? subtotal.multiply(BigDecimal.valueOf(10, 2)).setScale(2, RoundingMode.HALF_UP)
            : BigDecimal.ZERO.setScale(2);
    boolean test = random.nextDouble() < shape.testShare();
    String source =
        random.nextInt(10) == 0 ? "pos" : random.nextInt(20) == 0 ? "mobile_app" : "web";
    return new OrderDraft(
        test,
        source,
        guest ? email : customer.email(),
        random.nextInt(3) == 0 ? address.phone() : null,
        currency,
        shipping,
        tax,
        discount,
        address,
        random.nextInt(4) == 0 ? null : address,
        customer,
        random.nextInt(6) == 0 ? List.of("vip") : List.of(),
        random.nextInt(8) == 0 ? "Leave at the door" : null,
        lineItems,
        shipping.signum() == 0 ? "Free Shipping" : "Standard Shipping");
  }
}
