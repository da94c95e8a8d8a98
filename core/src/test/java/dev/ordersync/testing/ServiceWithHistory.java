package dev.ordersync.testing;

import dev.ordersync.App;
import dev.ordersync.config.AppConfig;
import dev.ordersync.config.ShopConfig;
import dev.ordersync.reconcile.ReconcileReport;
import dev.ordersync.secrets.Secret;
import dev.ordersync.service.HttpApi;
import dev.ordersync.simulator.faults.Fault;
import dev.ordersync.simulator.store.SimOrder;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

/**
 * A running service with a month behind it, for the dashboard's tests: 30 reconciled shop-local
 * days (one of them the 25-hour day), one day that does not match because one of its orders cannot
 * be mapped (it is the failed order, its name hostile HTML), 24 hours of sync passes every 10
 * minutes (two hours of them failing while Shopify is down) and webhooks delivered every hour.
 */
public final class ServiceWithHistory implements AutoCloseable {
  public static final String API_TOKEN = "dashboard-test-token";
  public static final String HOSTILE_NAME = "<img src=x onerror=\"window.pwned=1\">#1042";
  private static final String WEBHOOK_SECRET = "simulator-webhook-secret";
  private static final ZoneId ZONE = ZoneId.of("America/New_York");

  public final Harness harness;
  public final CorruptingProxy proxy;
  public final App app;
  public final HttpApi api;

  /** The shop-local days drawn, oldest first; {@link #mismatchDay} among them. */
  public final List<LocalDate> days = new ArrayList<>();

  public final LocalDate mismatchDay;
  public final SimOrder unmappable;

  public ServiceWithHistory(TestDatabases.Kind db, boolean withApiToken) {
    harness = new Harness(db);
    proxy = new CorruptingProxy(harness.sim.endpoint());
    AppConfig cfg = Harness.through(harness.config(), proxy.endpoint());
    ShopConfig shop = cfg.shops().get(0).withWebhookSecrets(List.of(new Secret(WEBHOOK_SECRET)));
    cfg = cfg.withShops(List.of(shop));
    if (withApiToken) {
      AppConfig.HttpSettings h = cfg.http();
      cfg =
          cfg.withHttp(
              new AppConfig.HttpSettings(
                  h.host(),
                  h.port(),
                  h.adminHost(),
                  h.adminPort(),
                  List.of(new Secret(API_TOKEN))));
    }
    harness.withConfig(cfg);

    Drafts drafts = new Drafts(31);
    Instant end = Harness.START.plus(Duration.ofHours(24));
    LocalDate today = LocalDate.ofInstant(end, ZONE);
    for (LocalDate d = today.minusDays(30); d.isBefore(today); d = d.plusDays(1)) {
      days.add(d);
    }
    mismatchDay = today.minusDays(9);
    SimOrder bad = null;
    for (int i = 0; i < days.size(); i++) {
      int orders = 3 + (i * 7) % 5;
      for (int k = 0; k < orders; k++) {
        Instant at =
            days.get(i).atTime(LocalTime.of(8, 0).plusMinutes(k * 41L)).atZone(ZONE).toInstant();
        SimOrder o = harness.sim.shop().create(drafts.next(), at, at);
        if (days.get(i).equals(mismatchDay) && k == 1) {
          bad = o;
        }
      }
    }
    unmappable = bad;
    proxy.damage(
        unmappable.gid(),
        o -> {
          o.remove("createdAt");
          o.put("name", HOSTILE_NAME);
        });

    app = harness.app();
    api = app.service().httpApi(() -> {}).start("127.0.0.1", 0);
    harness
        .sim
        .webhooks()
        .subscribe("ORDERS_CREATE", "http://127.0.0.1:" + api.port() + "/webhooks/shopify");

    for (int step = 0; step < 24 * 6; step++) {
      boolean shopifyDown = step >= 60 && step < 72;
      if (shopifyDown) {
        harness.sim.faults().failNext(Fault.HTTP_503, 1_000);
      }
      if (step % 6 == 0) {
        harness.sim.shop().create(drafts.next());
        harness.sim.webhooks().deliverDue();
      }
      app.sync().once(harness.shop());
      if (shopifyDown) {
        harness.sim.faults().clear();
      }
      if (step % 12 == 0) {
        app.webhooks().processor().processPending();
      }
      harness.advance(Duration.ofMinutes(10));
    }
    harness.sim.webhooks().deliverDue();
    for (int round = 0; round < 2; round++) {
      app.reconcile().reconciliations().days(days, ReconcileReport.Kind.NIGHTLY, false);
    }
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + api.port();
  }

  @Override
  public void close() {
    api.close();
    proxy.close();
    harness.close();
  }
}
