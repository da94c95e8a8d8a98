package dev.ordersync.service;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.task.Task;
import dev.ordersync.config.AppConfig;
import dev.ordersync.config.ShopDomain;
import dev.ordersync.db.Database;
import dev.ordersync.shopify.StopSignal;
import dev.ordersync.webhook.WebhookWorker;
import java.time.Duration;
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

  private final Database db;
  private final WebhookWorker worker;
  private final HttpApi http;
  private final Jobs jobs;
  private final Scheduler scheduler;
  private final List<ShopDomain> shops;
  private final StopSignal stop;

  /** Threads beyond run.threads for the cluster's own jobs (the feed's push, alerts, retention). */
  static final int CLUSTER_THREADS = 2;

  /**
   * @param shops the configured shops, whose jobs are scheduled at start
   */
  public Service(
      Database db,
      Jobs jobs,
      WebhookWorker worker,
      HttpApi http,
      List<ShopDomain> shops,
      StopSignal stop) {
    this.db = db;
    this.stop = stop;
    this.worker = worker;
    this.http = http;
    this.jobs = jobs;
    this.shops = List.copyOf(shops);
    List<Task<?>> shopTasks = new ArrayList<>(jobs.shopTasks());
    this.scheduler =
        Scheduler.create(db.dataSource(), shopTasks)
            .startTasks(jobs.clusterTasks())
            .schedulerName(OrphanedJobs.name())
            .threads(jobs.running().threads() + CLUSTER_THREADS)
            .pollingInterval(jobs.pollingInterval())
            .shutdownMaxWait(Duration.ofSeconds(20))
            .heartbeatInterval(jobs.heartbeatInterval())
            .missedHeartbeatsLimit(Jobs.MISSED_HEARTBEATS)
            .build();
  }

  /** Starts everything; throws when the port cannot be bound. */
  public Service start(AppConfig.HttpSettings settings) {
    db.serveOtherProcesses();
    http.start(settings);
    worker.start();
    jobs.starting();
    int released = OrphanedJobs.release(db);
    if (released > 0) {
      log.info("{} job(s) held by a run of this machine that was killed: released", released);
    }
    jobs.scheduleShops(scheduler, shops);
    scheduler.start();
    return this;
  }

  public int port() {
    return http.port();
  }

  public int adminPort() {
    return http.adminPort();
  }

  /**
   * Stops taking work, lets a running pass finish (or abandons it cleanly), then closes the
   * database: after the scheduler, the HTTP side and the worker have stopped.
   */
  @Override
  public void close() {
    long start = System.nanoTime();
    // every wait for Shopify ends now and no request is sent: the running passes end at their
    // next step, before the scheduler would interrupt them (which closes an H2 file under them)
    stop.stop();
    scheduler.stop();
    http.close();
    worker.close();
    db.close();
    log.info("stopped in {} ms", (System.nanoTime() - start) / 1_000_000);
  }
}
