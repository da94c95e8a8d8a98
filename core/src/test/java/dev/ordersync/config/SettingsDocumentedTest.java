package dev.ordersync.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every key the loader takes ({@link ConfigFile}, the one place the file's shape is defined) is in
 * the README's configuration block, and nothing else is; the values the block shows are the
 * defaults; the release's example uses only known keys, and ends with all of them, commented out,
 * with the same values. A setting added to the loader and not documented in both, or a default
 * changed on one side only, fails here.
 */
class SettingsDocumentedTest {
  private static final Path ROOT = Path.of("..");
  private static final Path EXAMPLE = ROOT.resolve("dist/src/release/order-sync.yml");
  private static final String EXAMPLE_REFERENCE = "# ---- Every key, commented out";
  private final ObjectMapper yaml = new ObjectMapper(new YAMLFactory());

  @Test
  void the_readme_s_configuration_block_names_every_key_and_no_other() throws IOException {
    Set<String> documented = keys(yaml.readTree(readmeBlock()));
    assertThat(documented).containsExactlyInAnyOrderElementsOf(known());
  }

  /**
   * The values the README's block shows are what a file that sets nothing gets: a default changed
   * in the code and not in the README (or the reverse) fails here. Examples stand where a setting
   * has no default (shops, the database, the push, the alerts' receiver, the admin port, tokens).
   */
  @Test
  void the_readme_s_values_are_the_defaults(@TempDir Path dir) throws IOException {
    assertShowsTheDefaults(yamlBlock(section("## Configuration")), dir);
  }

  @Test
  void the_release_s_example_uses_only_keys_the_loader_knows() throws IOException {
    Set<String> used = keys(yaml.readTree(Files.readString(EXAMPLE)));
    assertThat(known()).containsAll(used);
  }

  /**
   * The example the release ships ({@code order-sync.yml.example}) ends with every key commented
   * out, with its default: an operator finds them all in the file being edited.
   */
  @Test
  void the_release_s_example_lists_every_key_with_its_default(@TempDir Path dir)
      throws IOException {
    String listed = exampleReference();
    assertThat(keys(yaml.readTree(listed))).containsExactlyInAnyOrderElementsOf(known());
    assertShowsTheDefaults(listed.substring(0, listed.indexOf("\napp:") + 1), dir);
  }

  private void assertShowsTheDefaults(String documentedYaml, Path dir) throws IOException {
    Path documentedFile = dir.resolve("documented.yml");
    Files.writeString(documentedFile, documentedYaml);
    Path minimalFile = dir.resolve("minimal.yml");
    Files.writeString(
        minimalFile, "shops:\n  - domain: my-store.myshopify.com\n    token: shpat_x\n");
    ConfigLoader loader =
        new ConfigLoader(
            name -> name.endsWith("_URL") ? "https://hooks.example.com/x" : "value-of-" + name);
    AppConfig documented = loader.load(documentedFile);
    AppConfig defaults = loader.load(minimalFile);

    assertThat(documented.sync()).isEqualTo(defaults.sync());
    assertThat(documented.syncInterval()).isEqualTo(defaults.syncInterval());
    assertThat(documented.reconcile()).isEqualTo(defaults.reconcile());
    assertThat(documented.client()).isEqualTo(defaults.client());
    assertThat(documented.webhooks()).isEqualTo(defaults.webhooks());
    assertThat(documented.run()).isEqualTo(defaults.run());
    assertThat(documented.http().host()).isEqualTo(defaults.http().host());
    assertThat(documented.http().port()).isEqualTo(defaults.http().port());
    assertThat(documented.http().adminHost()).isEqualTo(defaults.http().adminHost());
    assertThat(documented.feed().retention()).isEqualTo(defaults.feed().retention());
    AppConfig.PushSettings push = documented.feed().push().orElseThrow();
    assertThat(push.batchSize()).isEqualTo(AppConfig.PushSettings.DEFAULT_BATCH_SIZE);
    assertThat(push.startAt()).isEqualTo(AppConfig.StartAt.BEGINNING);
    AppConfig.AlertSettings alerts = documented.alerts();
    assertThat(alerts.slack()).isEqualTo(defaults.alerts().slack());
    assertThat(alerts.failingPasses()).isEqualTo(defaults.alerts().failingPasses());
    assertThat(alerts.webhookSilence()).isEqualTo(defaults.alerts().webhookSilence());
    assertThat(alerts.failedOrderAge()).isEqualTo(defaults.alerts().failedOrderAge());
    assertThat(documented.shops().get(1).apiVersion()).isEqualTo(ConfigLoader.DEFAULT_API_VERSION);
  }

  /** Key paths of {@link ConfigFile}: {@code sync.interval}, {@code shops[].domain}, ... */
  private static Set<String> known() {
    Set<String> out = new TreeSet<>();
    walk(ConfigFile.class, "", out);
    return out;
  }

  private static void walk(Class<?> record, String prefix, Set<String> out) {
    for (RecordComponent c : record.getRecordComponents()) {
      String key = prefix + c.getName();
      Class<?> type = c.getType();
      if (type == List.class) {
        Type element = ((ParameterizedType) c.getGenericType()).getActualTypeArguments()[0];
        if (element instanceof Class<?> k && k.isRecord()) {
          walk(k, key + "[].", out);
          continue;
        }
      } else if (type.isRecord()) {
        walk(type, key + ".", out);
        continue;
      }
      out.add(key);
    }
  }

  private static Set<String> keys(JsonNode node) {
    Set<String> out = new TreeSet<>();
    keys(node, "", out);
    return out;
  }

  private static void keys(JsonNode node, String prefix, Set<String> out) {
    for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      JsonNode value = node.get(name);
      String key = prefix + name;
      if (value.isObject()) {
        keys(value, key + ".", out);
      } else if (value.isArray() && value.size() > 0 && value.get(0).isObject()) {
        for (JsonNode element : value) {
          keys(element, key + "[].", out);
        }
      } else {
        out.add(key);
      }
    }
  }

  /** The first YAML block under "## Configuration", joined with the {@code app:} block below. */
  private static String readmeBlock() throws IOException {
    String block = yamlBlock(section("## Configuration"));
    String app = yamlBlock(section("## Serving many merchants"));
    return block + "\n" + app.substring(app.indexOf("app:"));
  }

  /** The example's closing list of every key, uncommented. */
  private static String exampleReference() throws IOException {
    String example = Files.readString(EXAMPLE);
    StringBuilder out = new StringBuilder();
    for (String line : example.substring(example.indexOf(EXAMPLE_REFERENCE)).split("\n")) {
      if (!line.startsWith("# ----")) {
        out.append(line.startsWith("# ") ? line.substring(2) : line.substring(1)).append('\n');
      }
    }
    return out.toString();
  }

  /** The README from {@code heading} on. */
  private static String section(String heading) throws IOException {
    String readme = Files.readString(ROOT.resolve("README.md"));
    return readme.substring(readme.indexOf(heading));
  }

  private static String yamlBlock(String text) {
    int start = text.indexOf("```yaml\n") + "```yaml\n".length();
    return text.substring(start, text.indexOf("```", start));
  }
}
