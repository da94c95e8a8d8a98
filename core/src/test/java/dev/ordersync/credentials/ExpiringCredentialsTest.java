package dev.ordersync.credentials;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ordersync.App;
import dev.ordersync.AppOptions;
import dev.ordersync.config.Credentials;
import dev.ordersync.config.ShopConfig;
import dev.ordersync.secrets.Secret;
import dev.ordersync.simulator.auth.TokenIssuer;
import dev.ordersync.sync.CrashPoints;
import dev.ordersync.sync.PassResult;
import dev.ordersync.testing.Drafts;
import dev.ordersync.testing.Harness;
import dev.ordersync.testing.StoreAssertions;
import dev.ordersync.testing.TestDatabases;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Issue 13: shops whose apps get their tokens from Shopify's token endpoint, against the
 * simulator's: the client credentials grant (a day-long token) and expiring offline tokens (an
 * hour, with a refresh token that rotates on every use). Lifetimes here are minutes of virtual
 * time.
 */
class ExpiringCredentialsTest {
  private static final String CLIENT_ID = "client-id-1";
  private static final String CLIENT_SECRET = "client-secret-never-logged";
  private static final Duration TTL = Duration.ofMinutes(10);
  private final Drafts drafts = new Drafts(61);

  private static Harness harness(TestDatabases.Kind kind) {
    return new Harness(kind, b -> b.clientCredentials(CLIENT_ID, CLIENT_SECRET, TTL));
  }

  private static TokenIssuer issuer(Harness h) {
    return h.sim.tokens().orElseThrow();
  }

  private static Harness with(Harness h, Credentials credentials) {
    ShopConfig s = h.config().shops().get(0);
    return h.withConfig(
        h.config()
            .withShops(
                List.of(
                    new ShopConfig(
                        s.domain(),
                        credentials,
                        s.apiUrl(),
                        s.apiVersion(),
                        s.timezone(),
                        List.of()))));
  }

  @Test
  void a_sync_outlives_three_token_lifetimes() {
    try (Harness h = harness(TestDatabases.Kind.H2)) {
      with(h, new Credentials.ClientCredentials(CLIENT_ID, new Secret(CLIENT_SECRET)));
      App app = h.app();
      for (int minute = 0; minute < 45; minute += 5) {
        h.sim.shop().create(drafts.next());
        h.advance(Duration.ofMinutes(5));
        assertThat(app.sync().once(h.shop()).ok()).as("minute %d", minute).isTrue();
      }
      h.advance(Duration.ofMinutes(2));
      app.sync().once(h.shop());
      StoreAssertions.assertStoredExactly(app, h.sim, "after 45 minutes of 10-minute tokens");
      assertThat(issuer(h).grants()).isBetween(4, 6);
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabases.Kind.class)
  void a_refresh_token_rotated_by_one_process_is_used_by_the_next(TestDatabases.Kind kind) {
    try (Harness h = harness(kind)) {
      String installed = issuer(h).installRefreshToken();
      with(
          h,
          new Credentials.RefreshToken(
              CLIENT_ID, new Secret(CLIENT_SECRET), new Secret(installed)));
      h.sim.shop().create(drafts.next());
      h.advance(Duration.ofMinutes(5));
      App first = App.open(h.config(), h.jdbcUrl, options(h));
      assertThat(first.sync().once(h.shop()).ok()).isTrue();
      first.close();
      String stored;
      try (var db = dev.ordersync.db.Database.open(h.jdbcUrl, 2)) {
        stored = new TokenStore(db).read(h.shop()).orElseThrow().refreshToken();
      }
      assertThat(stored).startsWith("v1:").doesNotContain(installed);

      h.advance(TTL.plusMinutes(1)); // the first process's access token has expired
      App next = App.open(h.config(), h.jdbcUrl, options(h)); // configured with the old one
      assertThat(next.sync().once(h.shop()).ok()).isTrue();
      next.close();
      assertThat(issuer(h).refreshable(installed))
          .as("the installed token retired once its replacement was used")
          .isFalse();
      assertThat(issuer(h).grants()).isEqualTo(2);
    }
  }

  @Test
  void processes_renewing_at_once_take_turns_and_share_one_new_token() throws Exception {
    try (Harness h = harness(TestDatabases.Kind.POSTGRES)) {
      String installed = issuer(h).installRefreshToken();
      with(
          h,
          new Credentials.RefreshToken(
              CLIENT_ID, new Secret(CLIENT_SECRET), new Secret(installed)));
      h.sim.shop().create(drafts.next());
      h.advance(Duration.ofMinutes(5));
      App a = App.open(h.config(), h.jdbcUrl, options(h));
      App b = App.open(h.config(), h.jdbcUrl, options(h));
      ExecutorService pool = Executors.newFixedThreadPool(2);
      try {
        List<Future<PassResult>> passes =
            pool.invokeAll(
                List.<Callable<PassResult>>of(
                    () -> a.sync().once(h.shop()), () -> b.sync().once(h.shop())));
        for (Future<PassResult> p : passes) {
          assertThat(p.get().ok()).as(String.valueOf(p.get().error())).isTrue();
        }
      } finally {
        pool.shutdown();
        a.close();
        b.close();
      }
      assertThat(issuer(h).grants()).as("one refresh for both").isEqualTo(1);
    }
  }

  @Test
  void a_secret_rotated_away_is_a_refusal_naming_the_shop_and_no_secret() {
    try (Harness h = harness(TestDatabases.Kind.H2)) {
      with(h, new Credentials.ClientCredentials(CLIENT_ID, new Secret(CLIENT_SECRET)));
      App app = h.app();
      assertThat(app.sync().once(h.shop()).ok()).isTrue();
      issuer(h).rotateSecret("a-new-secret");
      h.advance(TTL);

      PassResult refused = app.sync().once(h.shop());

      assertThat(refused.ok()).isFalse();
      assertThat(refused.error())
          .contains(h.shop().value())
          .contains("refused the client id and secret")
          .doesNotContain(CLIENT_SECRET)
          .doesNotContain("a-new-secret");
      assertThat(app.shops().apis().get(h.shop()).client().credentialsRefused()).isTrue();
    }
  }

  /**
   * Issue 26, item 3: doctor asks for a new token; a secret changed since the stored token was
   * granted fails now, not a day later when that token expires.
   */
  @Test
  void a_fresh_grant_fails_a_wrong_secret_while_the_stored_token_still_works() {
    try (Harness h = harness(TestDatabases.Kind.H2)) {
      with(h, new Credentials.ClientCredentials(CLIENT_ID, new Secret(CLIENT_SECRET)));
      App app = h.app();
      assertThat(app.sync().once(h.shop()).ok()).isTrue();
      issuer(h).rotateSecret("a-new-secret");
      var tokens = app.shops().apis().get(h.shop()).client().tokens();
      assertThat(app.shops().apis().admin(h.shop()).probe())
          .as("the stored token still works")
          .isNotEmpty();

      assertThatThrownBy(tokens::renewNow)
          .isInstanceOf(dev.ordersync.shopify.ShopifyException.CredentialsRefused.class)
          .hasMessageContaining("refused the client id and secret")
          .hasMessageNotContaining(CLIENT_SECRET);
    }
  }

  @Test
  void a_token_revoked_mid_pass_is_renewed_once_and_the_pass_goes_on() {
    try (Harness h = harness(TestDatabases.Kind.H2)) {
      with(h, new Credentials.ClientCredentials(CLIENT_ID, new Secret(CLIENT_SECRET)));
      App app =
          h.app(
              new CrashPoints() {
                private int pages;

                @Override
                public void reached(Step step) {
                  if (step == Step.COMMITTED && ++pages == 2) {
                    issuer(h).revokeAccessTokens();
                  }
                }
              });
      for (int i = 0; i < 60; i++) {
        h.sim.shop().create(drafts.next());
      }
      h.advance(Duration.ofMinutes(5));

      PassResult pass = app.sync().once(h.shop());

      assertThat(pass.ok()).as(String.valueOf(pass.error())).isTrue();
      assertThat(pass.pages()).isGreaterThan(2);
      assertThat(issuer(h).grants()).isEqualTo(2);
      StoreAssertions.assertStoredExactly(app, h.sim, "after a revoked token");
    }
  }

  /**
   * Issue 25: a public app's non-expiring offline token is exchanged for an expiring pair, stored
   * before use; when Shopify's answer is lost, the retry (by `credentials migrate` again, or by the
   * next request's 401 on the old token) gets the same pair.
   */
  @ParameterizedTest
  @EnumSource(TestDatabases.Kind.class)
  void an_offline_token_is_migrated_and_a_lost_answer_is_retried_into_the_same_pair(
      TestDatabases.Kind kind) {
    try (Harness h = harness(kind)) {
      with(
          h,
          new Credentials.OfflineToken(
              CLIENT_ID,
              new Secret(CLIENT_SECRET),
              new Secret(dev.ordersync.simulator.Simulator.DEFAULT_TOKEN)));
      h.sim.shop().create(drafts.next());
      h.advance(Duration.ofMinutes(5));
      App app = App.open(h.config(), h.jdbcUrl, options(h));
      assertThat(app.sync().once(h.shop()).ok()).as("on the offline token as it is").isTrue();
      assertThat(issuer(h).grants()).isZero();
      var tokens = app.shops().apis().get(h.shop()).client().tokens();

      issuer(h).loseNextAnswer(); // Shopify migrates, its answer never arrives
      assertThatThrownBy(tokens::migrateToExpiring)
          .isInstanceOf(dev.ordersync.shopify.ShopifyException.class);
      h.sim.shop().create(drafts.next());
      h.advance(Duration.ofMinutes(5));
      // the old token is refused now: the 401 leads to the exchange, answered with the same pair
      assertThat(app.sync().once(h.shop()).ok()).isTrue();
      assertThat(issuer(h).grants()).as("one pair, given twice").isEqualTo(1);
      assertThat(tokens.migrateToExpiring())
          .isEqualTo(dev.ordersync.shopify.AccessTokens.Migration.ALREADY);
      app.close();

      // another process uses the stored pair, and refreshes it when it runs out
      h.advance(TTL.plusMinutes(1));
      try (App next = App.open(h.config(), h.jdbcUrl, options(h))) {
        assertThat(next.sync().once(h.shop()).ok()).isTrue();
        StoreAssertions.assertStoredExactly(next, h.sim, "after the migration");
      }
      assertThat(issuer(h).grants()).isEqualTo(2);
    }
  }

  @Test
  void credentials_migrate_exchanges_each_offline_token_once() {
    try (Harness h = harness(TestDatabases.Kind.H2)) {
      with(
          h,
          new Credentials.OfflineToken(
              CLIENT_ID,
              new Secret(CLIENT_SECRET),
              new Secret(dev.ordersync.simulator.Simulator.DEFAULT_TOKEN)));
      try (App app = App.open(h.config(), h.jdbcUrl, options(h))) {
        var tokens = app.shops().apis().get(h.shop()).client().tokens();
        assertThat(tokens.migrateToExpiring())
            .isEqualTo(dev.ordersync.shopify.AccessTokens.Migration.MIGRATED);
        assertThat(tokens.migrateToExpiring())
            .isEqualTo(dev.ordersync.shopify.AccessTokens.Migration.ALREADY);
        assertThat(issuer(h).migrated(dev.ordersync.simulator.Simulator.DEFAULT_TOKEN)).isTrue();
        h.sim.shop().create(drafts.next());
        h.advance(Duration.ofMinutes(5));
        assertThat(app.sync().once(h.shop()).ok()).isTrue();
      }
      assertThat(issuer(h).grants()).isEqualTo(1);
    }
  }

  /** Issue 24, item 10: tokens sealed under a key are never taken for absent without it. */
  @Test
  void a_missing_or_wrong_secret_key_refuses_to_start_and_rotate_key_moves_the_tokens() {
    try (Harness h = harness(TestDatabases.Kind.H2)) {
      with(h, new Credentials.ClientCredentials(CLIENT_ID, new Secret(CLIENT_SECRET)));
      try (App first = App.open(h.config(), h.jdbcUrl, options(h))) {
        assertThat(first.sync().once(h.shop()).ok()).isTrue();
      }
      AppOptions noKey = new AppOptions(h.clock, h.clock::advance, CrashPoints.NONE, 7);
      assertThatThrownBy(() -> App.open(h.config(), h.jdbcUrl, noKey))
          .isInstanceOf(dev.ordersync.config.ConfigException.class)
          .hasMessageContaining("ORDER_SYNC_SECRET_KEY, which is not set");
      assertThatThrownBy(() -> App.open(h.config(), h.jdbcUrl, noKey.withSecretKey("another")))
          .isInstanceOf(dev.ordersync.config.ConfigException.class)
          .hasMessageContaining("does not open the tokens")
          .hasMessageContaining("credentials rotate-key");
      int grants = issuer(h).grants();

      try (var db = dev.ordersync.db.Database.open(h.jdbcUrl, 2)) {
        TokenStore store = new TokenStore(db);
        assertThatThrownBy(() -> store.reseal(new SecretBox("wrong-old"), new SecretBox("new-key")))
            .hasMessageContaining("cannot be opened with ORDER_SYNC_OLD_SECRET_KEY");
        assertThat(store.reseal(new SecretBox("test-secret-key"), new SecretBox("new-key")))
            .isEqualTo(1);
        assertThat(store.allValues()).allMatch(v -> v.startsWith("v1:"));
      }
      try (App rotated = App.open(h.config(), h.jdbcUrl, noKey.withSecretKey("new-key"))) {
        assertThat(rotated.sync().once(h.shop()).ok()).isTrue();
      }
      assertThat(issuer(h).grants())
          .as("the stored token was used, not a new one")
          .isEqualTo(grants);
    }
  }

  /**
   * Issue 24, item 11: the request to Shopify's token endpoint holds no database lock: while it is
   * answered, the shop's token row can be written by another process at once.
   */
  @ParameterizedTest
  @EnumSource(TestDatabases.Kind.class)
  void the_token_request_holds_no_lock_on_the_token_row(TestDatabases.Kind kind) {
    try (Harness h = harness(kind)) {
      with(h, new Credentials.ClientCredentials(CLIENT_ID, new Secret(CLIENT_SECRET)));
      java.util.concurrent.atomic.AtomicReference<String> seen =
          new java.util.concurrent.atomic.AtomicReference<>("not asked");
      try (var other = dev.ordersync.db.Database.open(h.jdbcUrl, 2)) {
        issuer(h)
            .beforeGrant(
                () -> {
                  try {
                    other.inTransaction(
                        c -> {
                          c.execute(
                              other.isPostgres()
                                  ? "SET LOCAL lock_timeout = '2s'"
                                  : "SET LOCK_TIMEOUT 2000");
                          return c.createUpdate(
                                  "UPDATE shop_tokens SET updated_at = updated_at "
                                      + "WHERE shop = :shop")
                              .bind("shop", h.shop().value())
                              .execute();
                        });
                    seen.set("written");
                  } catch (RuntimeException e) {
                    seen.set("locked: " + e.getMessage());
                  }
                });
        App app = App.open(h.config(), h.jdbcUrl, options(h));
        assertThat(app.sync().once(h.shop()).ok()).isTrue();
        app.close();
      }
      assertThat(seen.get()).isEqualTo("written");
    }
  }

  private static AppOptions options(Harness h) {
    return new AppOptions(h.clock, h.clock::advance, CrashPoints.NONE, 7)
        .withSecretKey("test-secret-key");
  }

  @Test
  void webhooks_signed_with_the_apps_client_secret_are_accepted() {
    try (Harness h = harness(TestDatabases.Kind.H2)) {
      with(h, new Credentials.ClientCredentials(CLIENT_ID, new Secret(CLIENT_SECRET)));
      App app = h.app();
      try (var http = app.service().httpApi(() -> {}).start("127.0.0.1", 0)) {
        h.sim
            .webhooks()
            .subscribe("ORDERS_CREATE", "http://127.0.0.1:" + http.port() + "/webhooks/shopify");
        h.sim.shop().create(drafts.next());
        h.sim.tick();
        app.webhooks().processor().processPending();
      }
      assertThat(app.orders().stored().countAll(h.shop().value())).isEqualTo(1);
      assertThat(app.webhooks().stats().rejected(h.shop().value())).isZero();
    }
  }
}
