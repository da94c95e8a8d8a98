package dev.ordersync.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.ordersync.App;
import dev.ordersync.testing.Harness;
import dev.ordersync.testing.TestDatabases;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Prometheus rules and the Grafana dashboard under {@code deploy/} (issue 17) parse, and every
 * metric they name is one a running order-sync exports on {@code /metrics}.
 */
class DeployFilesTest {
  private static final Pattern METRIC = Pattern.compile("\\bordersync_[a-z_]+\\b");
  private static final Pattern DURATION = Pattern.compile("\\d+[smhd]");
  private static Set<String> exported;

  @BeforeAll
  static void scrape() {
    try (Harness h = new Harness(TestDatabases.Kind.H2)) {
      App app = h.app();
      app.sync().once(h.shop());
      String text =
          new Metrics(
                  app.service().status(),
                  app.shops().apis(),
                  app.webhooks().stats(),
                  true,
                  app.service().runningJobs(),
                  h.clock)
              .scrape();
      exported = new TreeSet<>();
      for (String line : text.split("\n")) {
        if (!line.isBlank() && !line.startsWith("#")) {
          exported.add(line.split("[{ ]", 2)[0]);
        }
      }
    }
    assertThat(exported).contains("ordersync_sync_lag_seconds");
  }

  private static Path deploy(String file) {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !Files.exists(dir.resolve("deploy"))) {
      dir = dir.getParent();
    }
    assertThat(dir).as("deploy/ above %s", Path.of("").toAbsolutePath()).isNotNull();
    return dir.resolve("deploy").resolve(file);
  }

  @Test
  void the_alert_rules_parse_and_name_only_exported_metrics() throws IOException {
    JsonNode root =
        new ObjectMapper(new YAMLFactory()).readTree(deploy("prometheus/alerts.yml").toFile());
    List<String> problems = new ArrayList<>();
    Set<String> names = new HashSet<>();
    int rules = 0;
    for (JsonNode group : root.path("groups")) {
      assertThat(group.path("name").asText()).isNotBlank();
      for (JsonNode rule : group.path("rules")) {
        rules++;
        String alert = rule.path("alert").asText("");
        if (alert.isBlank() || !names.add(alert)) {
          problems.add("a rule without a name, or a name used twice: '" + alert + "'");
        }
        if (!List.of("warning", "critical")
            .contains(rule.path("labels").path("severity").asText())) {
          problems.add(alert + ": severity is not warning or critical");
        }
        if (rule.path("annotations").path("summary").asText("").isBlank()) {
          problems.add(alert + ": no summary");
        }
        if (rule.has("for") && !DURATION.matcher(rule.get("for").asText()).matches()) {
          problems.add(alert + ": 'for' is not a duration");
        }
        problems.addAll(checkExpression(alert, rule.path("expr").asText("")));
      }
    }
    assertThat(rules).isGreaterThanOrEqualTo(8);
    assertThat(problems).isEmpty();
  }

  @Test
  void the_grafana_dashboard_parses_and_names_only_exported_metrics() throws IOException {
    JsonNode dash = new ObjectMapper().readTree(deploy("grafana/order-sync.json").toFile());
    assertThat(dash.path("uid").asText()).isEqualTo("order-sync");
    List<String> problems = new ArrayList<>();
    int targets = 0;
    for (JsonNode panel : dash.path("panels")) {
      assertThat(panel.path("title").asText()).isNotBlank();
      for (JsonNode target : panel.path("targets")) {
        targets++;
        problems.addAll(
            checkExpression(panel.path("title").asText(), target.path("expr").asText("")));
      }
    }
    problems.addAll(
        checkExpression(
            "the shop variable",
            dash.path("templating").path("list").get(1).path("query").asText("")));
    assertThat(targets).isGreaterThanOrEqualTo(10);
    assertThat(problems).isEmpty();
  }

  @Test
  void a_misspelt_metric_is_caught_so_the_check_has_teeth() {
    assertThat(checkExpression("t", "ordersync_sync_lag_secs > 1")).isNotEmpty();
    assertThat(checkExpression("t", "rate(ordersync_api_throttled_total[5m]")).isNotEmpty();
  }

  private static List<String> checkExpression(String where, String expr) {
    List<String> problems = new ArrayList<>();
    if (expr.isBlank()) {
      problems.add(where + ": no expression");
    }
    Matcher m = METRIC.matcher(expr);
    boolean any = false;
    while (m.find()) {
      any = true;
      if (!exported.contains(m.group())) {
        problems.add(where + ": " + m.group() + " is not a metric order-sync exports");
      }
    }
    if (!any) {
      problems.add(where + ": names no order-sync metric");
    }
    int depth = 0;
    for (char c : expr.toCharArray()) {
      depth += c == '(' || c == '[' || c == '{' ? 1 : c == ')' || c == ']' || c == '}' ? -1 : 0;
      if (depth < 0) {
        break;
      }
    }
    if (depth != 0) {
      problems.add(where + ": unbalanced brackets in " + expr);
    }
    return problems;
  }
}
