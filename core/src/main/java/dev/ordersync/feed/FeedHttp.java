package dev.ordersync.feed;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The feed over HTTP, for {@code run}: {@code GET /api/v1/changes} and {@code GET
 * /api/v1/orders/{gid}}. Authentication is the HTTP side's; here, the parameters and the answers.
 * Every answer is JSON; an error is {@code {"error": "..."}} in one line, saying what to do.
 */
public final class FeedHttp {
  /** The longest a long poll waits: proxies commonly cut idle requests after a minute. */
  static final Duration MAX_WAIT = Duration.ofSeconds(55);

  static final int DEFAULT_LIMIT = 100;
  private static final Pattern NUMERIC_ID = Pattern.compile("\\d{1,19}");
  private static final Pattern ORDER_GID = Pattern.compile("gid://shopify/Order/\\d{1,19}");

  private final Feed feed;
  private final ObjectMapper json = new ObjectMapper();

  public FeedHttp(Feed feed) {
    this.feed = feed;
  }

  /** {@code GET /api/v1/changes?after=SEQ&limit=N[&shop=D][&wait=SECONDS]}. */
  public void changes(Context ctx) throws InterruptedException {
    long after;
    int limit;
    Duration wait;
    try {
      after = number(ctx, "after", 0, Long.MAX_VALUE, 0);
      limit = (int) number(ctx, "limit", 1, Feed.MAX_LIMIT, DEFAULT_LIMIT);
      wait = Duration.ofSeconds(number(ctx, "wait", 0, MAX_WAIT.toSeconds(), 0));
    } catch (IllegalArgumentException e) {
      answer(ctx, 400, Map.of("error", e.getMessage()));
      return;
    }
    String shop = ctx.queryParam("shop");
    try {
      Feed.Page page =
          wait.isZero() ? feed.page(after, limit, shop) : feed.await(after, limit, shop, wait);
      answer(ctx, 200, page.json());
    } catch (Feed.Pruned e) {
      answer(ctx, 410, Map.of("error", e.getMessage()));
    } catch (Feed.AheadOfHead e) {
      answer(ctx, 409, Map.of("error", e.getMessage()));
    }
  }

  /** {@code GET /api/v1/orders/{gid}}: the GID, URL-encoded or not, or the numeric id. */
  public void order(Context ctx) {
    String given = ctx.pathParam("gid");
    String gid = NUMERIC_ID.matcher(given).matches() ? "gid://shopify/Order/" + given : given;
    if (!ORDER_GID.matcher(gid).matches()) {
      answer(
          ctx,
          400,
          Map.of(
              "error",
              "not an order id: give the GID (gid://shopify/Order/123, URL-encoded or not) "
                  + "or the numeric id"));
      return;
    }
    feed.order(gid)
        .ifPresentOrElse(
            o -> answer(ctx, 200, o),
            () -> answer(ctx, 404, Map.of("error", "no stored order " + gid)));
  }

  private static long number(Context ctx, String name, long min, long max, long dflt) {
    String v = ctx.queryParam(name);
    if (v == null || v.isBlank()) {
      return dflt;
    }
    try {
      long n = Long.parseLong(v.trim());
      if (n >= min && n <= max) {
        return n;
      }
    } catch (NumberFormatException e) {
      // said below
    }
    throw new IllegalArgumentException(
        name
            + " must be a whole number from "
            + min
            + " to "
            + max
            + "; got '"
            + abbreviate(v)
            + "'");
  }

  private static String abbreviate(String v) {
    return v.length() > 40 ? v.substring(0, 40) + "…" : v;
  }

  private void answer(Context ctx, int status, Object body) {
    try {
      ctx.status(status).contentType("application/json").result(json.writeValueAsString(body));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
