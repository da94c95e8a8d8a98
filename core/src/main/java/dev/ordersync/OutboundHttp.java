package dev.ordersync;

import dev.ordersync.config.AppConfig;
import java.net.http.HttpClient;

/**
 * The HTTP client for the URLs an operator configures (the feed's push, the alerts): it never
 * follows a redirect, so what it sends goes only where the configuration says.
 */
final class OutboundHttp {
  private OutboundHttp() {}

  static HttpClient client(AppConfig config) {
    return HttpClient.newBuilder()
        .connectTimeout(config.client().connectTimeout())
        .followRedirects(HttpClient.Redirect.NEVER)
        .build();
  }
}
