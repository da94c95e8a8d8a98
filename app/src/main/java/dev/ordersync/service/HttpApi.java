package dev.ordersync.service;

import dev.ordersync.App;
import dev.ordersync.webhook.WebhookIntake;
import io.javalin.Javalin;
import java.time.Duration;
import org.eclipse.jetty.server.ServerConnector;

/**
 * The service's HTTP side: the webhook endpoint, liveness, readiness, metrics and the status page.
 */
public final class HttpApi implements AutoCloseable {
  /** How long a connection may send nothing; Shopify itself gives up on us after 5 s. */
  public static final Duration IDLE_TIMEOUT = Duration.ofSeconds(10);

  private final Javalin http;
  private final Duration idleTimeout;

  public HttpApi(App app, WebhookIntake intake, Metrics metrics) {
    this(app, intake, metrics, IDLE_TIMEOUT);
  }

  public HttpApi(App app, WebhookIntake intake, Metrics metrics, Duration idleTimeout) {
    this.idleTimeout = idleTimeout;
    this.http = Javalin.create(cfg -> {
      cfg.startup.showJavalinBanner = false;
      cfg.http.maxRequestSize = WebhookIntake.MAX_BODY_BYTES + 1L;
      cfg.routes.post("/webhooks/shopify", intake::handle);
      cfg.routes.get("/healthz", ctx -> ctx.contentType("text/plain").result("ok"));
      cfg.routes.get("/readyz", ctx -> {
        boolean ready = app.db().isReady();
        ctx.status(ready ? 200 : 503).contentType("text/plain")
            .result(ready ? "ready" : "the database does not answer or is not migrated: "
                + app.db().displayUrl());
      });
      cfg.routes.get("/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4")
          .result(metrics.scrape()));
      cfg.routes.get("/", ctx -> ctx.contentType("text/html; charset=utf-8")
          .result(StatusPage.render(ShopStatus.read(app), app.clock())));
    });
  }

  public HttpApi start(String host, int port) {
    http.start(host, port);
    // A slow client must not hold a thread for long. Set here, on the connectors Javalin has
    // made: they do not exist yet when its configuration hooks run (Jetty's 30 s applied).
    for (var c : http.jettyServer().server().getConnectors()) {
      if (c instanceof ServerConnector sc) {
        sc.setIdleTimeout(idleTimeout.toMillis());
      }
    }
    return this;
  }

  public int port() {
    return http.port();
  }

  @Override
  public void close() {
    http.stop();
  }
}
