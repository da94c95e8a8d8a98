package dev.ordersync.install;

import io.javalin.http.Context;

/**
 * {@code GET /shopify/install} and {@code GET /shopify/callback}: what a merchant's browser sees of
 * an install. A plain page naming the shop, or the reason it failed; no secret, no script.
 */
public final class InstallHttp {
  private final ShopInstalls installs;

  public InstallHttp(ShopInstalls installs) {
    this.installs = installs;
  }

  public void install(Context ctx) {
    answer(ctx, installs.begin(ctx.queryParamMap()));
  }

  public void callback(Context ctx) {
    answer(ctx, installs.finish(ctx.queryParamMap()));
  }

  private static void answer(Context ctx, ShopInstalls.Answer a) {
    if (a.location() != null) {
      ctx.status(302).header("Location", a.location().toString());
      return;
    }
    String title = a.status() == 200 ? "order-sync is installed" : "order-sync was not installed";
    ctx.status(a.status())
        .header("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'")
        .contentType("text/html; charset=utf-8")
        .result(
            "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>"
                + title
                + "</title></head><body><h1>"
                + title
                + "</h1>"
                + (a.shop() == null ? "" : "<p>Shop: <b>" + escape(a.shop().value()) + "</b></p>")
                + "<p>"
                + escape(a.message())
                + "</p></body></html>");
  }

  private static String escape(String s) {
    return s.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\"", "&quot;")
        .replace("'", "&#39;");
  }
}
