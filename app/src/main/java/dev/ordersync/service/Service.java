package dev.ordersync.service;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.task.helper.RecurringTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.github.kagkarlsson.scheduler.task.schedule.FixedDelay;
import dev.ordersync.App;
import dev.ordersync.config.AppConfig;
import dev.ordersync.simulator.time.ScaledClock;
import dev.ordersync.webhook.WebhookWorker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code order-sync run}: the scheduled jobs (db-scheduler, persisted in the order store, so
 * several instances on one PostgreSQL run each job once), the webhook worker and the HTTP side.
 */
public final class Service implements AutoCloseable {
  /** How often the service asks whether a shop's nightly reconciliation is due. */
  static final Duration NIGHTLY_CHECK = Duration.ofMinutes(5);

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
    // asked every few minutes; runs each shop's nightly reconciliation once a shop-local day,
    // at or after reconcile.nightlyAt in the shop's zone, even when the zone is learnt late
    tasks.add(Tasks.recurring("nightly", FixedDelay.of(real(NIGHTLY_CHECK)))
        .execute((instance, ctx) -> app.nightlyWhereDue()));
    return tasks;
  }

  /** db-scheduler waits on the wall clock; intervals are meant in order-sync's own time. */
  private Duration real(Duration interval) {
    return app.clock() instanceof ScaledClock scaled ? scaled.toReal(interval) : interval;
  }

  /** Starts everything; throws when the port cannot be bound. */
  public Service start(AppConfig.HttpSettings settings) {
    app.db().serveOtherProcesses();
    http.start(settings);
    worker.start();
    scheduler.start();
    return this;
  }

  public int port() {
    return http.port();
  }

  public int adminPort() {
    return http.adminPort();
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
