package dev.ordersync;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Invariant 7: production code asks an injected Clock. Reading the wall clock directly is allowed
 * only where the real clock is chosen (the composition root's defaults, the standalone simulator).
 */
class TimeIsInjectedTest {
  private static final Pattern WALL_CLOCK = Pattern.compile(
      "Instant\\.now\\(|System\\.currentTimeMillis\\(|LocalDate(Time)?\\.now\\(|"
          + "ZonedDateTime\\.now\\(|OffsetDateTime\\.now\\(|new java\\.util\\.Date\\(\\)|"
          + "Clock\\.systemUTC\\(|Clock\\.systemDefaultZone\\(");
  private static final Set<String> CHOOSE_THE_REAL_CLOCK = Set.of("App.java",
      "SimulatorCommand.java", "Simulator.java", "TimeOptions.java");

  @Test
  void production_code_never_reads_the_wall_clock_directly() throws IOException {
    List<String> offenders = new ArrayList<>();
    for (Path root : List.of(Path.of("src/main/java"), Path.of("../simulator/src/main/java"))) {
      try (Stream<Path> files = Files.walk(root)) {
        for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
          if (CHOOSE_THE_REAL_CLOCK.contains(f.getFileName().toString())) {
            continue;
          }
          List<String> lines = Files.readAllLines(f);
          for (int i = 0; i < lines.size(); i++) {
            if (WALL_CLOCK.matcher(lines.get(i)).find()) {
              offenders.add(f + ":" + (i + 1) + ": " + lines.get(i).trim());
            }
          }
        }
      }
    }
    assertThat(offenders).isEmpty();
  }
}
