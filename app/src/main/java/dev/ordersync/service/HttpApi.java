package dev.ordersync.service;

import dev.ordersync.App;
import dev.ordersync.webhook.WebhookIntake;
import io.javalin.Javalin;
import org.eclipse.jetty.server.ServerConnector;

/**
 * The service's HTTP side: the webhook endpoint, liveness, readiness, metrics and the status page.
 */
public final class HttpApi implements AutoCloseable {
  private final Javalin http;

  public HttpApi(App app, WebhookIntake intake, Metrics metrics) {
    this.http = Javalin.create(cfg -> {
      cfg.startup.showJavalinBanner = false;
      cfg.http.maxRequestSize = WebhookIntake.MAX_BODY_BYTES + 1L;
      // a slow client must not hold a thread for long; Shopify itself gives up after 5 s
      cfg.jetty.modifyServer(server -> {
        for (var c : server.getConnectors()) {
          if (c instanceof ServerConnector sc) {
            sc.setIdleTimeout(10_000);
          }
        }
      });
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
