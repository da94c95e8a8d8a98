package dev.ordersync;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.ordersync.orders.FailedOrders;
import dev.ordersync.simulator.store.SimOrder;
import dev.ordersync.testing.CorruptingProxy;
import dev.ordersync.testing.Drafts;
import dev.ordersync.testing.Harness;
import dev.ordersync.testing.TestDatabases;
import dev.ordersync.testing.TestOrders;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.slf4j.LoggerFactory;

/**
 * Issue 11, finding 4: errors name the shop, the order, the column and the reason, never the value.
 * Orders carrying a recognisable email fail in every way an order can fail; the email appears in no
 * log line and no stored error.
 */
class NoPersonalDataInLogsTest {
  private static final String CANARY = "canary.customer+leak@example.com";

  @ParameterizedTest
  @EnumSource(TestDatabases.Kind.class)
  void a_customers_email_never_reaches_a_log_or_an_error(TestDatabases.Kind kind) {
    LoggerContext logs = (LoggerContext) LoggerFactory.getILoggerFactory();
    Logger root = logs.getLogger(Logger.ROOT_LOGGER_NAME);
    Logger ours = logs.getLogger("dev.ordersync");
    ch.qos.logback.classic.Level rootLevel = root.getLevel();
    ch.qos.logback.classic.Level ourLevel = ours.getLevel();
    ListAppender<ILoggingEvent> captured = new ListAppender<>();
    captured.start();
    root.addAppender(captured);
    root.setLevel(ch.qos.logback.classic.Level.INFO); // as shipped (logback.xml)
    ours.setLevel(ch.qos.logback.classic.Level.DEBUG); // and all of order-sync's own
    try (Harness h = new Harness(kind);
        CorruptingProxy proxy = new CorruptingProxy(h.sim.endpoint())) {
      h.withConfig(Harness.through(h.config(), proxy.endpoint()));
      Drafts drafts = new Drafts(5);
      List<SimOrder> orders = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        Instant at = Harness.START.minus(Duration.ofMinutes(90)).plusSeconds(i * 60L);
        orders.add(h.sim.shop().create(drafts.next(), at, at));
      }
      String refused = TestOrders.REFUSED_TOTAL.toPlainString();
      proxy.damage(
          orders.get(0).gid(),
          o ->
              o.put("email", CANARY)
                  .with("totalPriceSet")
                  .with("shopMoney")
                  .put("amount", refused));
      proxy.damage(orders.get(1).gid(), o -> o.put("createdAt", CANARY));
      proxy.damage(
          orders.get(2).gid(),
          o -> o.with("totalPriceSet").with("shopMoney").put("amount", CANARY));
      proxy.damage(orders.get(3).gid(), o -> o.put("legacyResourceId", CANARY));
      proxy.damage(
          orders.get(4).gid(),
          o -> o.put("email", CANARY).put("note", "x\u0000y").put("processedAt", CANARY));
      App app = h.app();

      app.sync().once(h.shop());

      assertThat(app.orders().failed().open(h.shop().value()))
          .hasSize(5)
          .extracting(FailedOrders.Failure::error)
          .allSatisfy(e -> assertThat(e).doesNotContain(CANARY).doesNotContain(refused));
      assertThat(captured.list)
          .isNotEmpty()
          .allSatisfy(
              e -> {
                assertThat(e.getFormattedMessage()).doesNotContain(CANARY).doesNotContain(refused);
                if (e.getThrowableProxy() != null) {
                  assertThat(e.getThrowableProxy().getMessage()).doesNotContain(CANARY);
                }
              });
    } finally {
      root.detachAppender(captured);
      root.setLevel(rootLevel);
      ours.setLevel(ourLevel);
    }
  }
}
