package dev.ordersync.service;

import dev.ordersync.config.AppConfig;
import dev.ordersync.dashboard.DashboardHttp;
import dev.ordersync.db.Database;
import dev.ordersync.feed.FeedHttp;
import dev.ordersync.install.InstallHttp;
import dev.ordersync.secrets.Secret;
import dev.ordersync.webhook.WebhookIntake;
import io.javalin.Javalin;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.eclipse.jetty.server.ServerConnector;

/**
 * The service's HTTP side. The main port serves what Shopify must reach ({@code POST
 * /webhooks/shopify}) and {@code /healthz}; the status page, {@code /metrics} and {@code /readyz}
 * are served there too, or, when an admin port is configured, on that port only (e.g. on loopback),
 * with the feed API ({@code /api/v1/...}). With API tokens configured, the status page and the
 * metrics need one (a bearer token, or as the password of HTTP Basic for a browser).
 */
public final class HttpApi implements AutoCloseable {
  /** How long a connection may send nothing; Shopify itself gives up on us after 5 s. */
  public static final Duration IDLE_TIMEOUT = Duration.ofSeconds(10);

  /** No script or style inline or from elsewhere; nothing may frame the page. */
  static final String CONTENT_SECURITY_POLICY =
      "default-src 'none'; script-src 'self'; "
          + "style-src 'self'; img-src 'self' data:; connect-src 'self'; "
          + "base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

  private final WebhookIntake intake;
  private final FeedHttp feed;
  private final Metrics metrics;
  private final DashboardHttp dashboard;
  private final Database db;
  private final List<Secret> tokens;
  private final Duration idleTimeout;
  private final Optional<InstallHttp> install;
  private Javalin main;
  private Javalin admin;

  /**
   * @param tokens the API tokens: the feed API needs one (none: it is off); the status page and the
   *     metrics need one when any is configured
   * @param idleTimeout how long a connection may send nothing
   * @param install the merchants' install pages, with {@code app} configured
   */
  public HttpApi(
      WebhookIntake intake,
      FeedHttp feed,
      Metrics metrics,
      DashboardHttp dashboard,
      Database db,
      List<Secret> tokens,
      Duration idleTimeout,
      Optional<InstallHttp> install) {
    this.install = install;
    this.intake = intake;
    this.feed = feed;
    this.metrics = metrics;
    this.dashboard = dashboard;
    this.db = db;
    this.tokens = List.copyOf(tokens);
    this.idleTimeout = idleTimeout;
  }

  /** Starts on one port for everything (tests, the demo). */
  public HttpApi start(String host, int port) {
    main = serve(host, port, true, true);
    return this;
  }

  /** Starts as configured: the main port, and the admin port when there is one. */
  public HttpApi start(AppConfig.HttpSettings http) {
    boolean separate = http.adminPort() != null;
    main = serve(http.host(), http.port(), true, !separate);
    if (separate) {
      admin = serve(http.adminHost(), http.adminPort(), false, true);
    }
    return this;
  }

  private Javalin serve(String host, int port, boolean webhooks, boolean adminPages) {
    Javalin server =
        Javalin.create(
            cfg -> {
              cfg.startup.showJavalinBanner = false;
              cfg.http.maxRequestSize = WebhookIntake.MAX_BODY_BYTES + 1L;
              RoutesConfig routes = cfg.routes;
              routes.before(
                  ctx -> {
                    ctx.header("X-Content-Type-Options", "nosniff");
                    ctx.header("Referrer-Policy", "no-referrer");
                    ctx.header("Cache-Control", "no-store");
                  });
              routes.get("/healthz", ctx -> ctx.contentType("text/plain").result("ok"));
              if (webhooks) {
                routes.post("/webhooks/shopify", intake::handle);
                install.ifPresent(
                    i -> {
                      routes.get("/shopify/install", i::install);
                      routes.get("/shopify/callback", i::callback);
                    });
              }
              if (adminPages) {
                routes.get(
                    "/readyz",
                    ctx -> {
                      boolean ready = db.isReady();
                      ctx.status(ready ? 200 : 503)
                          .contentType("text/plain")
                          .result(
                              ready ? "ready" : "the database does not answer or is not migrated");
                    });
                routes.get(
                    "/metrics",
                    guarded(
                        ctx ->
                            ctx.contentType("text/plain; version=0.0.4").result(metrics.scrape())));
                routes.get("/api/v1/changes", api(feed::changes));
                routes.get("/api/v1/orders/<gid>", api(feed::order));
                routes.get(
                    "/",
                    guarded(
                        ctx -> {
                          ctx.header("Content-Security-Policy", CONTENT_SECURITY_POLICY);
                          dashboard.page(ctx);
                        }));
                routes.get("/assets/{name}", dashboard::asset);
                routes.post("/failed-orders/retry", changing(dashboard));
              }
            });
    server.start(host, port);
    // A slow client must not hold a thread for long. Set here, on the connectors Javalin has
    // made: they do not exist yet when its configuration hooks run (Jetty's 30 s applied).
    for (var c : server.jettyServer().server().getConnectors()) {
      if (c instanceof ServerConnector sc) {
        sc.setIdleTimeout(idleTimeout.toMillis());
      }
    }
    return server;
  }

  /** The handler behind the API tokens, when any are configured. */
  private Handler guarded(Handler handler) {
    return ctx -> {
      if (tokens.isEmpty() || authorized(ctx)) {
        handler.handle(ctx);
      } else {
        ctx.status(401)
            .header("WWW-Authenticate", "Basic realm=\"order-sync\", charset=\"UTF-8\"")
            .contentType("text/plain")
            .result("a token is required: Authorization: Bearer <token>");
      }
    };
  }

  /**
   * A change made from the dashboard: off without API tokens (the page may be open to anyone who
   * reaches it, it may not change anything); with them, a token is needed, and a browser's form
   * must also carry the form token.
   */
  private Handler changing(DashboardHttp dashboard) {
    return ctx -> {
      if (tokens.isEmpty()) {
        ctx.status(404)
            .contentType("text/plain")
            .result(
                "retrying from the dashboard is off: configure a token (http.apiTokens or "
                    + "ORDER_SYNC_API_TOKEN) and restart run, or run `order-sync orders retry`");
      } else if (authorized(ctx)) {
        dashboard.retry(ctx, bearer(ctx));
      } else {
        ctx.status(401)
            .header("WWW-Authenticate", "Basic realm=\"order-sync\", charset=\"UTF-8\"")
            .contentType("text/plain")
            .result("a token is required: Authorization: Bearer <token>");
      }
    };
  }

  private static boolean bearer(Context ctx) {
    String header = ctx.header("Authorization");
    return header != null && header.regionMatches(true, 0, "Bearer ", 0, 7);
  }

  /** The feed API: personal data, so always behind a token; off when none is configured. */
  private Handler api(Handler handler) {
    return ctx -> {
      if (tokens.isEmpty()) {
        ctx.status(404)
            .contentType("application/json")
            .result(
                "{\"error\":\"the API is off: configure a token (http.apiTokens or "
                    + "ORDER_SYNC_API_TOKEN) and restart run\"}");
      } else if (authorized(ctx)) {
        handler.handle(ctx);
      } else {
        ctx.status(401)
            .header("WWW-Authenticate", "Bearer realm=\"order-sync\"")
            .contentType("application/json")
            .result("{\"error\":\"a token is required: Authorization: Bearer <token>\"}");
      }
    };
  }

  private boolean authorized(Context ctx) {
    String header = ctx.header("Authorization");
    if (header == null) {
      return false;
    }
    String given = null;
    if (header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      given = header.substring(7).trim();
    } else if (header.regionMatches(true, 0, "Basic ", 0, 6)) {
      try {
        String pair =
            new String(
                Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
        given = pair.substring(pair.indexOf(':') + 1);
      } catch (IllegalArgumentException e) {
        return false;
      }
    }
    return given != null && matches(given);
  }

  private boolean matches(String given) {
    byte[] g = given.getBytes(StandardCharsets.UTF_8);
    boolean ok = false;
    for (Secret t : tokens) {
      ok |= MessageDigest.isEqual(g, t.reveal().getBytes(StandardCharsets.UTF_8));
    }
    return ok;
  }

  public int port() {
    return main.port();
  }

  /** The admin port, or the main one when there is no separate admin port. */
  public int adminPort() {
    return admin != null ? admin.port() : main.port();
  }

  @Override
  public void close() {
    if (admin != null) {
      admin.stop();
    }
    if (main != null) {
      main.stop();
    }
  }
}
