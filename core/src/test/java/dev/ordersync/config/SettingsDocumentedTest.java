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

/**
 * Every key the loader takes ({@link ConfigFile}, the one place the file's shape is defined) is in
 * the README's configuration block, and nothing else is; the release's example uses only known
 * keys. A setting added to the loader and not documented fails here.
 */
class SettingsDocumentedTest {
  private static final Path ROOT = Path.of("..");
  private final ObjectMapper yaml = new ObjectMapper(new YAMLFactory());

  @Test
  void the_readme_s_configuration_block_names_every_key_and_no_other() throws IOException {
    Set<String> documented = keys(yaml.readTree(readmeBlock()));
    assertThat(documented).containsExactlyInAnyOrderElementsOf(known());
  }

  @Test
  void the_release_s_example_uses_only_keys_the_loader_knows() throws IOException {
    Path example = ROOT.resolve("dist/src/release/order-sync.yml");
    Set<String> used = keys(yaml.readTree(Files.readString(example)));
    assertThat(known()).containsAll(used);
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
    String readme = Files.readString(ROOT.resolve("README.md"));
    String section = readme.substring(readme.indexOf("## Configuration"));
    String block = yamlBlock(section);
    String app = yamlBlock(readme.substring(readme.indexOf("## Serving many merchants")));
    return block + "\n" + app.substring(app.indexOf("app:"));
  }

  private static String yamlBlock(String text) {
    int start = text.indexOf("```yaml\n") + "```yaml\n".length();
    return text.substring(start, text.indexOf("```", start));
  }
}
