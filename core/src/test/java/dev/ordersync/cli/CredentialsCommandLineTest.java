package dev.ordersync.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ordersync.simulator.Simulator;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 13 through the command line: client credentials and refresh tokens as flags. */
class CredentialsCommandLineTest {
  private Simulator sim;

  @TempDir Path dir;

  @BeforeEach
  void start() {
    sim =
        Simulator.builder()
            .seed(9)
            .clientCredentials("app-1", "s3cret-app-1", Duration.ofHours(1))
            .start();
    for (int i = 0; i < 5; i++) {
      sim.shop()
          .create(
              new dev.ordersync.testing.Drafts(9).next(),
              sim.clock().instant().minus(Duration.ofHours(2)),
              sim.clock().instant().minus(Duration.ofHours(2)));
    }
  }

  @AfterEach
  void stop() {
    sim.close();
  }

  record Run(int exit, String out, String err) {}

  private Run run(String... args) {
    PrintStream out = System.out;
    PrintStream err = System.err;
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    ByteArrayOutputStream e = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
      return new Run(
          Main.run(args), o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(out);
      System.setErr(err);
    }
  }

  private String[] sync(String... credentials) {
    String[] base = {
      "sync",
      "--once",
      "--db",
      "jdbc:h2:file:" + dir.resolve("db"),
      "--shop",
      sim.shop().domain(),
      "--api-url",
      sim.endpoint()
    };
    String[] all = new String[base.length + credentials.length];
    System.arraycopy(base, 0, all, 0, base.length);
    System.arraycopy(credentials, 0, all, base.length, credentials.length);
    return all;
  }

  @Test
  void client_credentials_get_a_token_from_the_host_of_the_api_url() {
    Run r = run(sync("--client-id", "app-1", "--client-secret", "s3cret-app-1"));
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.err()).contains("5 order(s) seen").doesNotContain("s3cret-app-1");
    assertThat(sim.tokens().orElseThrow().grants()).isEqualTo(1);
  }

  @Test
  void a_refresh_token_is_used_and_its_replacement_kept_for_the_next_command() {
    String installed = sim.tokens().orElseThrow().installRefreshToken();
    assertThat(
            run(sync(
                    "--client-id",
                    "app-1",
                    "--client-secret",
                    "s3cret-app-1",
                    "--refresh-token",
                    installed))
                .exit())
        .isZero();
    assertThat(
            run(sync(
                    "--client-id",
                    "app-1",
                    "--client-secret",
                    "s3cret-app-1",
                    "--refresh-token",
                    installed))
                .exit())
        .as("the stored token, not the flag's")
        .isZero();
  }

  @Test
  void wrong_client_credentials_exit_2_naming_the_shop_and_not_the_secret() {
    Run r = run(sync("--client-id", "app-1", "--client-secret", "not-the-secret"));
    assertThat(r.exit()).isEqualTo(Main.USAGE);
    assertThat(r.err())
        .contains(sim.shop().domain())
        .contains("client id and secret")
        .doesNotContain("not-the-secret")
        .doesNotContain("\tat ");
    Run half = run(sync("--client-id", "app-1"));
    assertThat(half.exit()).isEqualTo(Main.USAGE);
    assertThat(half.err()).contains("--client-secret is missing");
  }
}
