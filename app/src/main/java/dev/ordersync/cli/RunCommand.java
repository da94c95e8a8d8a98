package dev.ordersync.cli;

import dev.ordersync.App;
import dev.ordersync.config.AppConfig;
import dev.ordersync.service.Service;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "run", mixinStandardHelpOptions = true, description = "The service: scheduled sync, sweep and nightly "
    + "reconciliation, webhooks, health, metrics and the status page. SIGTERM stops it cleanly.")
final class RunCommand implements Callable<Integer> {
  @Mixin
  CommonOptions common;

  @Option(names = "--port", description = "HTTP port (default: http.port of the config, 8080)")
  Integer port;

  @Option(names = "--host", defaultValue = "0.0.0.0", description = "address to listen on")
  String host;

  @Override
  public Integer call() throws InterruptedException {
    AppConfig cfg = common.appConfig();
    int p = port != null ? port : cfg.httpPort();
    App app = App.open(cfg, common.jdbcUrl(cfg), common.time.appOptions());
    Service service;
    try {
      service = new Service(app);
      service.start(host, p);
    } catch (RuntimeException e) {
      app.close();
      if (isBindFailure(e)) {
        throw new IllegalArgumentException("cannot listen on port " + p + ": it is in use or "
            + "not allowed. Give another one with --port.");
      }
      throw e;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      System.err.println("order-sync: stopping (finishing or abandoning the running work)...");
      service.close();
      stopped.countDown();
    }, "order-sync-shutdown"));
    System.err.printf("order-sync: running for %s on http://%s:%d/ (webhooks at "
        + "/webhooks/shopify, /healthz, /readyz, /metrics), database %s%n",
        String.join(", ", app.shopNames()), host, service.port(), app.db().displayUrl());
    stopped.await();
    return Main.OK;
  }

  private static boolean isBindFailure(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof java.net.BindException || t.getClass().getSimpleName()
          .contains("Bind")) {
        return true;
      }
    }
    return false;
  }
}
