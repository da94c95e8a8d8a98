package dev.ordersync.service;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.task.helper.RecurringTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.github.kagkarlsson.scheduler.task.schedule.FixedDelay;
import com.github.kagkarlsson.scheduler.task.schedule.Schedules;
import dev.ordersync.App;
import dev.ordersync.simulator.time.ScaledClock;
import dev.ordersync.webhook.WebhookWorker;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code order-sync run}: the scheduled jobs (db-scheduler, persisted in the order store, so
 * several instances on one PostgreSQL run each job once), the webhook worker and the HTTP side.
 */
public final class Service implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Service.class);

  private final App app;
  private final WebhookWorker worker;
  private final HttpApi http;
  private final Scheduler scheduler;

  public Service(App app) {
    this.app = app;
    this.worker = new WebhookWorker(app.webhookProcessor());
    this.http = new HttpApi(app, app.webhookIntake(worker::wake), new Metrics(app));
    this.scheduler = Scheduler.create(app.db().dataSource())
        .startTasks(tasks())
        .threads(3)
        .pollingInterval(app.clock() instanceof ScaledClock ? Duration.ofMillis(200)
            : Duration.ofSeconds(2))
        .shutdownMaxWait(Duration.ofSeconds(20))
        // a job picked by an instance that died (SIGKILL, lost database) is taken over after
        // 4 missed heartbeats: 2 minutes, not db-scheduler's default of 5-minute beats
        .heartbeatInterval(app.clock() instanceof ScaledClock ? Duration.ofSeconds(1)
            : Duration.ofSeconds(30))
        .missedHeartbeatsLimit(4)
        .build();
  }

  private List<RecurringTask<Void>> tasks() {
    List<RecurringTask<Void>> tasks = new ArrayList<>();
    tasks.add(Tasks.recurring("sync", FixedDelay.of(real(app.config().syncInterval())))
        .execute((instance, ctx) -> app.syncOnce()));
    tasks.add(Tasks.recurring("sweep", FixedDelay.of(real(app.config().reconcile()
        .sweepInterval()))).execute((instance, ctx) -> app.sweep()));
    LocalTime at = app.config().reconcile().nightlyAt();
    for (String shop : app.shopNames()) {
      ZoneId zone = app.zoneOf(shop);
      String cron = at.getSecond() + " " + at.getMinute() + " " + at.getHour() + " * * *";
      // on simulated time (the chaos run) a wall-clock cron means nothing: once a simulated day
      var schedule = app.clock() instanceof ScaledClock
          ? FixedDelay.of(real(Duration.ofDays(1))) : Schedules.cron(cron, zone);
      tasks.add(Tasks.recurring("nightly-" + shop, schedule)
          .execute((instance, ctx) -> app.nightly(shop)));
      log.info("{}: nightly reconciliation at {} {}", shop, at, zone);
    }
    return tasks;
  }

  /** db-scheduler waits on the wall clock; intervals are meant in order-sync's own time. */
  private Duration real(Duration interval) {
    return app.clock() instanceof ScaledClock scaled ? scaled.toReal(interval) : interval;
  }

  /** Starts everything; throws when the port cannot be bound. */
  public Service start(String host, int port) {
    http.start(host, port);
    worker.start();
    scheduler.start();
    return this;
  }

  public int port() {
    return http.port();
  }

  /** Stops taking work, lets a running pass finish (or abandons it cleanly), then closes. */
  @Override
  public void close() {
    scheduler.stop();
    http.close();
    worker.close();
    app.close();
  }
}
