package dev.ordersync.config;

import java.time.Duration;
import java.time.LocalTime;
import java.util.List;

/**
 * {@code order-sync.yml} as written, bound by Jackson: every key known, every value of its type.
 * Absent keys are null here; {@link ConfigLoader} applies the defaults, validates the ranges and
 * builds the {@link AppConfig} order-sync runs on.
 */
record ConfigFile(
    String database,
    List<Shop> shops,
    Sync sync,
    Reconcile reconcile,
    Client client,
    Http http,
    Webhooks webhooks,
    Feed feed,
    Alerts alerts,
    Run run,
    App app) {

  record App(
      String clientId,
      String clientSecret,
      String url,
      Object scopes,
      String shopifyUrl,
      String expiringTokens) {}

  record Shop(
      String domain,
      String token,
      String clientId,
      String clientSecret,
      String refreshToken,
      String apiUrl,
      String apiVersion,
      String timezone,
      List<String> webhookSecrets) {}

  record Sync(
      Duration interval,
      Duration settleLag,
      Duration overlap,
      Duration maxWindow,
      Duration initialLookback,
      Duration webhookGrace,
      Integer bulkThreshold) {}

  record Reconcile(
      LocalTime nightlyAt, Integer days, Duration sweepInterval, Duration sweepLookback) {}

  record Client(Duration connectTimeout, Duration requestTimeout, Integer maxAttempts) {}

  record Http(
      String host, Integer port, String adminHost, Integer adminPort, List<String> apiTokens) {}

  record Webhooks(Duration maxAge, Duration retention) {}

  record Feed(Duration retention, Push push) {}

  record Push(String url, String secret, Integer batchSize, String startAt) {}

  record Run(Integer threads) {}

  record Alerts(
      String webhookUrl,
      String format,
      Integer failingPasses,
      Duration webhookSilence,
      Duration failedOrderAge) {}
}
