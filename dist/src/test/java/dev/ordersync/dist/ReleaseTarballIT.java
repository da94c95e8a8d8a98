package dev.ordersync.dist;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The release `mvn package` makes (issue 17): unpacked in a temporary directory, {@code
 * bin/order-sync} runs with a Java runtime alone (no Maven, no source tree on the PATH), and the
 * tarball holds the example configuration, the systemd unit and the monitoring files.
 */
class ReleaseTarballIT {
  @TempDir Path dir;

  record Run(int exit, String out) {}

  private Run run(Path home, String... args) throws Exception {
    return runLauncher(home.resolve("bin/order-sync"), args);
  }

  private Run runLauncher(Path launcher, String... args) throws Exception {
    List<String> command = new java.util.ArrayList<>(List.of(launcher.toString()));
    command.addAll(List.of(args));
    ProcessBuilder pb =
        new ProcessBuilder(command).redirectErrorStream(true).directory(dir.toFile());
    Map<String, String> env = pb.environment();
    env.clear();
    env.put("PATH", "/usr/bin:/bin");
    env.put("JAVA_HOME", System.getProperty("java.home"));
    env.put("HOME", dir.toString());
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return new Run(p.exitValue(), out);
  }

  @Test
  void the_release_unpacks_and_runs_with_only_a_java_runtime() throws Exception {
    Path tarball = Path.of(System.getProperty("order-sync.release"));
    assertThat(tarball).exists();
    Process tar =
        new ProcessBuilder("tar", "-xzf", tarball.toString(), "-C", dir.toString())
            .inheritIO()
            .start();
    assertThat(tar.waitFor()).isZero();
    Path home = dir.resolve("order-sync-" + System.getProperty("order-sync.version"));

    assertThat(home.resolve("lib/order-sync-service.jar")).exists();
    assertThat(home.resolve("order-sync.yml.example")).exists();
    assertThat(home.resolve("deploy/systemd/order-sync.service"))
        .content()
        .contains("User=order-sync");
    assertThat(home.resolve("deploy/prometheus/alerts.yml")).exists();
    assertThat(home.resolve("deploy/grafana/order-sync.json")).exists();
    assertThat(Files.getPosixFilePermissions(home.resolve("bin/order-sync")))
        .contains(PosixFilePermission.OWNER_EXECUTE);

    Run version = run(home, "--version");
    assertThat(version.exit()).as(version.out()).isZero();
    assertThat(version.out()).startsWith("order-sync ");
    Run doctor = run(home, "doctor", "--help");
    assertThat(doctor.exit()).as(doctor.out()).isZero();
    assertThat(doctor.out()).contains("Usage: order-sync doctor");

    // linked onto the PATH, as an operator installs it
    Path bin = Files.createDirectories(dir.resolve("local/bin"));
    Files.createSymbolicLink(bin.resolve("order-sync"), home.resolve("bin/order-sync"));
    Run linked = runLauncher(bin.resolve("order-sync"), "--version");
    assertThat(linked.exit()).as(linked.out()).isZero();
    assertThat(linked.out()).startsWith("order-sync ");
  }
}
