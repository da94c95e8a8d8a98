package dev.ordersync.dashboard;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ordersync.config.ShopDomain;
import dev.ordersync.shopify.ShopifyException;
import dev.ordersync.status.ShopHistory;
import dev.ordersync.status.ShopStatus;
import dev.ordersync.status.StatusReader;
import dev.ordersync.sync.FailedOrderRetry;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dashboard's requests: the page, its two assets, and the retry of a failed order. Who may ask
 * is decided before these run (HttpApi); the retry also needs the form token unless a program asked
 * with a bearer token.
 */
public final class DashboardHttp {
  private static final Logger log = LoggerFactory.getLogger(DashboardHttp.class);
  private static final Map<String, String> ASSETS =
      Map.of("dashboard.css", "text/css; charset=utf-8", "dashboard.js", "text/javascript");

  private final StatusReader status;
  private final FailedOrderRetry retry;
  private final FormToken formToken;
  private final Clock clock;
  private final ObjectMapper json = new ObjectMapper();

  public DashboardHttp(
      StatusReader status, FailedOrderRetry retry, FormToken formToken, Clock clock) {
    this.status = status;
    this.retry = retry;
    this.formToken = formToken;
    this.clock = clock;
  }

  /** {@code GET /}: the page, and once after a retry its outcome. */
  public void page(Context ctx) {
    Instant now = clock.instant();
    List<ShopStatus> shops = status.read();
    List<ShopHistory> histories =
        status.histories(shops.stream().map(ShopStatus::shop).toList(), now);
    Optional<DashboardPage.Notice> notice =
        Optional.ofNullable(ctx.queryParam("retried"))
            .flatMap(
                order ->
                    RetryOutcome.ofSlug(String.valueOf(ctx.queryParam("outcome")))
                        .map(o -> new DashboardPage.Notice(order, o)));
    ctx.contentType("text/html; charset=utf-8")
        .result(
            DashboardPage.render(
                new DashboardPage.View(
                    shops,
                    histories,
                    status.feed(),
                    status.instances(),
                    now,
                    formToken.value(),
                    notice)));
  }

  /** {@code GET /assets/{name}}: the stylesheet and the refresh script. */
  public void asset(Context ctx) {
    String name = ctx.pathParam("name");
    String type = ASSETS.get(name);
    if (type == null) {
      ctx.status(404).contentType("text/plain").result("no such asset");
      return;
    }
    try (InputStream in = DashboardHttp.class.getResourceAsStream("/dashboard/" + name)) {
      ctx.contentType(type).result(in.readAllBytes());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * {@code POST /failed-orders/retry} (form fields {@code shop}, {@code order}): fetches the order
   * now and stores it. A browser's form is sent back to the page, which shows the outcome; a
   * program gets JSON.
   *
   * @param bearer the request carried a bearer token, so it is a program and not a form another
   *     site could have posted with the browser's saved login
   */
  public void retry(Context ctx, boolean bearer) throws IOException {
    if (!bearer && !formToken.matches(ctx.formParam("formToken"))) {
      ctx.status(403)
          .contentType("text/plain")
          .result(
              "this form is stale or was not sent by the dashboard: reload the dashboard "
                  + "and retry from there");
      return;
    }
    String shop = ctx.formParam("shop");
    String order = ctx.formParam("order");
    List<String> shops = status.shops();
    if (shop == null || order == null) {
      ctx.status(400)
          .contentType("text/plain")
          .result("give the form fields shop and order (an order id of a failed order)");
      return;
    }
    if (!shops.contains(shop)) {
      ctx.status(404).contentType("text/plain").result("not a configured shop");
      return;
    }
    RetryOutcome outcome = retryOne(ShopDomain.of(shop), order);
    if (bearer) {
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("shop", shop);
      body.put("order", order);
      body.put("outcome", outcome.slug());
      body.put("message", outcome.text());
      ctx.contentType("application/json").result(json.writeValueAsString(body));
    } else {
      ctx.redirect(
          "/?retried="
              + URLEncoder.encode(order, StandardCharsets.UTF_8)
              + "&outcome="
              + outcome.slug()
              + "#shop-"
              + shops.indexOf(shop),
          io.javalin.http.HttpStatus.SEE_OTHER);
    }
  }

  private RetryOutcome retryOne(ShopDomain shop, String order) {
    if (retry.open(shop, order).isEmpty()) {
      return RetryOutcome.NOT_OPEN;
    }
    if (!order.startsWith(FailedOrderRetry.ORDER_GID)) {
      return RetryOutcome.NO_ORDER_ID;
    }
    try {
      FailedOrderRetry.Retried r = retry.retry(shop, List.of(order), p -> {});
      if (!r.stored().isEmpty()) {
        return RetryOutcome.STORED;
      }
      return r.notFound().isEmpty() ? RetryOutcome.FAILED_AGAIN : RetryOutcome.NOT_AT_SHOPIFY;
    } catch (ShopifyException e) {
      log.warn("{}: a retry from the dashboard failed: {}", shop, e.getMessage());
      return RetryOutcome.SHOPIFY_UNREACHABLE;
    }
  }
}
