package dev.ordersync.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ordersync.App;
import dev.ordersync.config.ShopConfig;
import dev.ordersync.config.ShopDomain;
import dev.ordersync.db.DatabaseException;
import dev.ordersync.shopify.ShopAdmin;
import dev.ordersync.shopify.ShopifyClient;
import dev.ordersync.shopify.ShopifyException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
    name = "doctor",
    mixinStandardHelpOptions = true,
    description =
        "Checks, for each shop: "
            + "the credentials, the scopes, the API version served, protected customer data, the "
            + "webhook subscriptions; and the database and the clock. One line each; exit 0 only when "
            + "all pass.")
final class DoctorCommand implements Callable<Integer> {
  /** Shopify's Date header has whole seconds; more than this apart is a clock to fix. */
  static final Duration CLOCK_TOLERANCE = Duration.ofSeconds(5);

  /** Without read_all_orders, Shopify shows only this much of a shop's past. */
  static final Duration VISIBLE_WITHOUT_ALL_ORDERS = Duration.ofDays(60);

  @Mixin CommonOptions common;

  @Option(names = "--json", description = "one JSON object per line per check")
  boolean json;

  @Option(
      names = "--address",
      paramLabel = "URL",
      description =
          "the public address of this "
              + "service's /webhooks/shopify, which every subscription must point at")
  String address;

  record Check(String check, String shop, boolean ok, String detail) {}

  @Override
  public Integer call() throws Exception {
    List<Check> checks = new ArrayList<>();
    App opened;
    boolean storeReachable = true;
    try {
      opened = common.openApp();
    } catch (DatabaseException e) {
      // every check runs even so: Shopify's are made with a store in memory for the tokens
      storeReachable = false;
      checks.add(new Check("database", null, false, e.getMessage()));
      opened =
          App.open(
              common.appConfig(),
              "jdbc:h2:mem:doctor-" + java.util.UUID.randomUUID(),
              common.time.appOptions());
    }
    try (App app = opened) {
      if (storeReachable) {
        checks.add(
            new Check(
                "database",
                null,
                app.service().db().isReady(),
                app.service().db().isReady()
                    ? "reachable and migrated: " + app.service().db().displayUrl()
                    : "does not answer or is not migrated: " + app.service().db().displayUrl()));
      }
      for (ShopDomain shop : app.shops().apis().names()) {
        if (app.config().shop(shop).isPresent() || app.shops().states().active(shop)) {
          // an installed shop that is paused or uninstalled is not called
          checks.addAll(shop(app, app.shops().config(shop), storeReachable));
        }
      }
    }
    ObjectMapper mapper = new ObjectMapper();
    for (Check c : checks) {
      if (json) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("check", c.check());
        m.put("shop", c.shop());
        m.put("ok", c.ok());
        m.put("detail", c.detail());
        System.out.println(mapper.writeValueAsString(m));
      } else {
        System.out.printf(
            "%-4s %-14s %s%s%n",
            c.ok() ? "ok" : "FAIL", c.check(), c.shop() == null ? "" : c.shop() + ": ", c.detail());
      }
    }
    if (!storeReachable) {
      return Main.DATABASE;
    }
    return checks.stream().allMatch(Check::ok) ? Main.OK : Main.FAILED;
  }

  /**
   * @param storeReachable false when the store did not answer: what only it knows (refused
   *     deliveries) is not checked
   */
  private List<Check> shop(App app, ShopConfig config, boolean storeReachable) {
    ShopDomain shop = config.domain();
    ShopAdmin admin = app.shops().apis().admin(shop);
    ShopifyClient client = admin.client();
    List<Check> out = new ArrayList<>();
    try {
      // a new grant, not the token an earlier run stored: a wrong secret must fail now
      boolean fresh = client.tokens().renewNow();
      admin.probe();
      out.add(
          new Check(
              "credentials",
              shop.value(),
              true,
              "Shopify accepts the "
                  + config.credentials().kind()
                  + (fresh ? " (a new token was granted for this check)" : "")));
    } catch (ShopifyException e) {
      out.add(new Check("credentials", shop.value(), false, e.detail()));
      return out; // nothing else can be asked
    }
    out.add(identity(admin, config));
    out.add(scopes(app, admin));
    ShopifyClient.ApiVersions v = client.apiVersions();
    if (v.mismatch()) {
      out.add(
          new Check(
              "api-version",
              shop.value(),
              false,
              "asked for "
                  + v.requested()
                  + ", Shopify "
                  + "answered with "
                  + v.served()
                  + ": set apiVersion to a supported version"));
    } else {
      out.add(
          new Check(
              "api-version",
              shop.value(),
              true,
              "served as asked: " + (v.served() == null ? v.requested() : v.served())));
    }
    try {
      admin.readCustomerData();
      out.add(
          new Check("customer-data", shop.value(), true, "protected customer data can be read"));
    } catch (ShopifyException e) {
      out.add(new Check("customer-data", shop.value(), false, e.detail()));
    }
    if (!client.apiVersions().deprecations().isEmpty()) {
      out.add(
          new Check(
              "deprecations",
              shop.value(),
              false,
              "queries use deprecated fields: "
                  + String.join("; ", client.apiVersions().deprecations())));
    }
    out.add(webhooks(admin));
    if (storeReachable) {
      out.add(refusals(app, shop));
    }
    out.add(clock(client, shop));
    return out;
  }

  /**
   * The shop that answers is the configured one: with apiUrl set, a wrong domain would otherwise
   * pass every check and store orders under the wrong shop.
   */
  private static Check identity(ShopAdmin admin, ShopConfig config) {
    ShopDomain shop = config.domain();
    try {
      String answers = admin.myshopifyDomain();
      return answers.equalsIgnoreCase(shop.value())
          ? new Check("identity", shop.value(), true, "Shopify answers as " + answers)
          : new Check(
              "identity",
              shop.value(),
              false,
              "the API at "
                  + config.endpoint()
                  + " answers as "
                  + (answers.isBlank() ? "no shop" : answers)
                  + ", not as "
                  + shop
                  + ": fix the shop's domain or its apiUrl");
    } catch (ShopifyException e) {
      return new Check("identity", shop.value(), false, e.detail());
    }
  }

  /**
   * Deliveries for the shop refused in the last day: a wrong webhook secret shows nowhere else, and
   * its orders come late, by the poll.
   */
  private static Check refusals(App app, ShopDomain shop) {
    java.time.Instant since = app.service().clock().instant().minus(java.time.Duration.ofDays(1));
    return app.webhooks().inbox().counters().stream()
        .filter(c -> c.shop().equals(shop.value()))
        .filter(c -> c.lastRefusedAt() != null && c.lastRefusedAt().isAfter(since))
        .findFirst()
        .map(
            c ->
                new Check(
                    "webhook-refusals",
                    shop.value(),
                    false,
                    c.refused()
                        + " delivery(ies) refused, the last at "
                        + c.lastRefusedAt()
                        + ": "
                        + dev.ordersync.webhook.WebhookStats.Outcome.valueOf(c.lastRefusal())
                            .why()))
        .orElse(
            new Check(
                "webhook-refusals", shop.value(), true, "no delivery refused in the last day"));
  }

  private Check scopes(App app, ShopAdmin admin) {
    try {
      Set<String> granted = admin.grantedScopes();
      List<String> missing = new ArrayList<>();
      if (!granted.contains("read_orders")) {
        missing.add("read_orders");
      }
      boolean farBack =
          app.config().sync().initialLookback().compareTo(VISIBLE_WITHOUT_ALL_ORDERS) > 0;
      if (farBack && !granted.contains("read_all_orders")) {
        missing.add("read_all_orders (sync.initialLookback reaches past 60 days)");
      }
      return new Check(
          "scopes",
          admin.shop().value(),
          missing.isEmpty(),
          missing.isEmpty()
              ? "granted: " + String.join(", ", granted)
              : "missing: "
                  + String.join(", ", missing)
                  + "; granted: "
                  + String.join(", ", granted));
    } catch (ShopifyException e) {
      return new Check("scopes", admin.shop().value(), false, e.detail());
    }
  }

  private Check webhooks(ShopAdmin admin) {
    try {
      List<ShopAdmin.Subscription> subs = admin.webhookSubscriptions();
      List<String> missing = new ArrayList<>();
      Set<String> addresses =
          subs.stream()
              .map(ShopAdmin.Subscription::uri)
              .collect(Collectors.toCollection(java.util.TreeSet::new));
      for (String topic : WebhooksCommand.TOPICS) {
        boolean there =
            subs.stream()
                .anyMatch(
                    s -> s.topic().equals(topic) && (address == null || s.uri().equals(address)));
        if (!there) {
          missing.add(topic);
        }
      }
      if (!missing.isEmpty()) {
        return new Check(
            "webhooks",
            admin.shop().value(),
            false,
            "not subscribed"
                + (address == null ? "" : " to " + address)
                + ": "
                + String.join(", ", missing)
                + " (order-sync webhooks register --address URL)");
      }
      return new Check(
          "webhooks",
          admin.shop().value(),
          true,
          "order topics subscribed, to " + String.join(", ", addresses));
    } catch (ShopifyException e) {
      return new Check("webhooks", admin.shop().value(), false, e.detail());
    }
  }

  private static Check clock(ShopifyClient client, ShopDomain shop) {
    return client
        .clockOffset()
        .map(
            offset -> {
              boolean ok = offset.abs().compareTo(CLOCK_TOLERANCE) <= 0;
              return new Check(
                  "clock",
                  shop.value(),
                  ok,
                  (ok ? "within " : "off by more than ")
                      + CLOCK_TOLERANCE.toSeconds()
                      + " s of Shopify's ("
                      + offset.toMillis() / 1000.0
                      + " s)"
                      + (ok ? "" : ": fix this machine's clock (NTP); windows depend on it"));
            })
        .orElse(
            new Check("clock", shop.value(), false, "Shopify sent no Date header to compare with"));
  }
}
