package dev.ordersync.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ordersync.secrets.Secret;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
  @TempDir Path dir;

  private final ConfigLoader loader =
      new ConfigLoader(Map.of("TOKEN", "shpat_secret", "SECRET", "whsec")::get);

  private AppConfig load(String yaml) throws IOException {
    Path f = dir.resolve("order-sync.yml");
    Files.writeString(f, yaml);
    return loader.load(f);
  }

  @Test
  void reads_shops_settings_and_environment_references() throws IOException {
    AppConfig cfg =
        load(
            """
        shops:
          - domain: a-shop.myshopify.com
            token: ${TOKEN}
            timezone: Asia/Kolkata
            webhookSecrets: ["${SECRET}"]
          - domain: b-shop.myshopify.com
            token: literal-token
            apiUrl: http://127.0.0.1:9/graphql.json
        sync:
          settleLag: 90s
          maxWindow: 2h
          webhookGrace: 3m
        reconcile:
          days: 3
          nightlyAt: "01:30"
        """);
    assertThat(cfg.shops()).hasSize(2);
    ShopConfig a = cfg.shops().get(0);
    Secret token = ((Credentials.AccessToken) a.credentials()).token();
    assertThat(token.reveal()).isEqualTo("shpat_secret");
    assertThat(token.toString()).isEqualTo("***");
    assertThat(a.toString()).doesNotContain("shpat_secret").doesNotContain("whsec");
    assertThat(a.timezone()).contains(ZoneId.of("Asia/Kolkata"));
    assertThat(a.endpoint().toString())
        .isEqualTo("https://a-shop.myshopify.com/admin/api/2026-10/graphql.json");
    assertThat(cfg.shops().get(1).endpoint().toString())
        .isEqualTo("http://127.0.0.1:9/graphql.json");
    assertThat(cfg.sync().settleLag()).isEqualTo(Duration.ofSeconds(90));
    assertThat(cfg.sync().maxWindow()).isEqualTo(Duration.ofHours(2));
    assertThat(cfg.sync().overlap()).isEqualTo(Duration.ZERO);
    assertThat(cfg.sync().webhookGrace()).isEqualTo(Duration.ofMinutes(3));
    assertThat(cfg.reconcile().days()).isEqualTo(3);
  }

  @Test
  void every_mistake_names_its_key() {
    assertProblem("shops: []", "'shops' must list at least one shop");
    assertProblem("shops:\n  - domain: nope\n    token: x", "shops[0].domain: 'nope'");
    assertProblem("shops:\n  - domain: a.myshopify.com", "shops[0].token is missing");
    assertProblem(
        "shops:\n  - domain: a.myshopify.com\n    token: ${NOPE}",
        "shops[0].token refers to ${NOPE}, but that environment variable is not set");
    assertProblem(
        "shops:\n  - domain: a.myshopify.com\n    token: t\n    timezone: Mars/Base",
        "shops[0].timezone: 'Mars/Base'");
    assertProblem(
        "shops:\n  - domain: a.myshopify.com\n    token: t\nsync:\n  setleLag: 5s",
        "unknown key 'sync.setleLag'");
    assertProblem(
        "shops:\n  - domain: a.myshopify.com\n    token: t\nsync:\n  settleLag: soon",
        "sync.settleLag: 'soon' is not a duration");
    assertProblem(
        "shops:\n  - domain: a.myshopify.com\n    token: t\nreconcile:\n  days: 90",
        "reconcile.days must be from 1 to 60");
    assertProblem(
        "shops:\n  - domain: a.myshopify.com\n    token: t\n"
            + "  - domain: a.myshopify.com\n    token: u",
        "listed twice");
    assertProblem("shops: [unclosed", "is not valid YAML");
    // issue 26, item 8: where in the file
    assertProblem("shops:\n  - domain: a.myshopify.com\n    token: [x\nsync: {", "(line ");
  }

  /** Issue 12: numbers were read with defaults, so a wrong one was silently replaced. */
  @Test
  void a_value_of_the_wrong_type_or_out_of_range_names_its_key_and_what_is_allowed() {
    String shop = "shops:\n  - domain: a.myshopify.com\n    token: t\n";
    assertProblem(shop + "http:\n  port: abc", "http.port: 'abc' is not a whole number");
    assertProblem(shop + "http:\n  port: 70000", "http.port must be from 0 to 65535");
    assertProblem(shop + "reconcile:\n  days: two", "reconcile.days: 'two' is not a whole number");
    assertProblem(shop + "reconcile:\n  days: 2.5", "reconcile.days");
    assertProblem(shop + "client:\n  maxAttempts: 0", "client.maxAttempts must be from 1 to 100");
    assertProblem(shop + "sync:\n  interval: 0s", "sync.interval must be a positive duration");
    assertProblem(shop + "shops2: []", "unknown key 'shops2'");
    assertProblem(
        "shops:\n  - domain: a.myshopify.com\n    tokn: t", "unknown key 'shops[0].tokn'");
    assertProblem(
        shop + "reconcile:\n  nightlyAt: late",
        "reconcile.nightlyAt: 'late' is not a " + "time of day");
    assertProblem(shop + "sync:\n  bulkThreshold: -1", "sync.bulkThreshold must be from 0");
    assertProblem(shop + "run:\n  threads: 0", "run.threads must be from 1 to 256");
    assertProblem(
        shop + "alerts:\n  webhookUrl: http://hooks.example.com/x",
        "alerts.webhookUrl must be https");
    assertProblem(
        shop + "alerts:\n  webhookUrl: https://h.example.com/x\n  format: xml",
        "alerts.format must be slack or json");
    assertProblem(
        shop + "feed:\n  push:\n    url: http://oms.example.com/x\n    secret: s",
        "feed.push.url must be https");
  }

  @Test
  void alerts_and_the_bulk_threshold_are_read() throws IOException {
    AppConfig cfg =
        load(
            "shops:\n  - domain: a.myshopify.com\n    token: t\nsync:\n  bulkThreshold: 0\n"
                + "alerts:\n  webhookUrl: https://hooks.example.com/x\n  format: json\n"
                + "  failingPasses: 5\n");
    assertThat(cfg.sync().bulkThreshold()).isZero();
    assertThat(cfg.alerts().webhookUrl())
        .contains(java.net.URI.create("https://hooks.example.com/x"));
    assertThat(cfg.alerts().slack()).isFalse();
    assertThat(cfg.alerts().failingPasses()).isEqualTo(5);
    assertThat(cfg.alerts().webhookSilence()).isEqualTo(java.time.Duration.ofHours(1));
    assertThat(cfg.run().threads()).isEqualTo(16);
    assertThat(
            load("shops:\n  - domain: a.myshopify.com\n    token: t\nrun:\n  threads: 8\n")
                .run()
                .threads())
        .isEqualTo(8);
  }

  @Test
  void an_unquoted_time_of_day_is_read_as_written() throws IOException {
    AppConfig cfg =
        load(
            "shops:\n  - domain: a.myshopify.com\n    token: t\n"
                + "reconcile:\n  nightlyAt: 01:30\n");
    assertThat(cfg.reconcile().nightlyAt()).isEqualTo(java.time.LocalTime.of(1, 30));
  }

  @Test
  void settled_webhook_deliveries_are_kept_30_days_and_at_least_as_long_as_a_replay_is_accepted()
      throws IOException {
    String shop = "shops:\n  - domain: a.myshopify.com\n    token: t\n";
    assertThat(load(shop).webhooks().retention()).isEqualTo(Duration.ofDays(30));
    assertThat(load(shop + "webhooks:\n  retention: 7d\n").webhooks())
        .isEqualTo(new AppConfig.WebhookSettings(Duration.ofHours(72), Duration.ofDays(7)));
    assertThat(load(shop + "webhooks:\n  maxAge: 12h\n  retention: 1d\n").webhooks().retention())
        .isEqualTo(Duration.ofDays(1));
    assertProblem(
        shop + "webhooks:\n  retention: 1d\n",
        "webhooks.retention (PT24H) must be at least webhooks.maxAge (PT72H)");
    assertProblem(
        shop + "webhooks:\n  retention: 0s\n", "webhooks.retention must be a positive duration");
  }

  @Test
  void a_missing_file_says_so() {
    assertThatThrownBy(() -> loader.load(dir.resolve("absent.yml")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("does not exist");
  }

  private void assertProblem(String yaml, String expected) {
    assertThatThrownBy(() -> load(yaml))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(expected)
        .hasMessageNotContaining("shpat_secret");
  }
}
