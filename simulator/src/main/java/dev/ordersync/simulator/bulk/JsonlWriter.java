package dev.ordersync.simulator.bulk;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes the nodes of a bulk query as Shopify's JSONL: one object a line, each nested connection's
 * nodes taken out of their parent onto lines of their own with {@code __parentId}. Grouped, the
 * children follow their parent at once; otherwise they come later (here: after each slice).
 */
final class JsonlWriter {
  private final ObjectMapper json = new ObjectMapper();
  private final OutputStream out;
  private final boolean grouped;

  JsonlWriter(OutputStream out, boolean grouped) {
    this.out = new BufferedOutputStream(out, 1 << 16);
    this.grouped = grouped;
  }

  void write(List<Map<String, Object>> roots) throws IOException {
    List<Pending> later = new ArrayList<>();
    for (Map<String, Object> node : roots) {
      line(node, null, later);
    }
    for (int i = 0; i < later.size(); i++) {
      line(later.get(i).node(), later.get(i).parentId(), later);
    }
  }

  void flush() throws IOException {
    out.flush();
  }

  private record Pending(Map<String, Object> node, Object parentId) {}

  private void line(Map<String, Object> node, Object parentId, List<Pending> later)
      throws IOException {
    Map<String, Object> own = new LinkedHashMap<>();
    List<Map<String, Object>> children = new ArrayList<>();
    for (Map.Entry<String, Object> e : node.entrySet()) {
      List<Map<String, Object>> nodes = connectionNodes(e.getValue());
      if (nodes != null) {
        children.addAll(nodes);
      } else {
        own.put(e.getKey(), e.getValue());
      }
    }
    if (parentId != null) {
      own.put("__parentId", parentId);
    }
    writeLine(own);
    for (Map<String, Object> child : children) {
      if (grouped) {
        line(child, node.get("id"), later);
      } else {
        later.add(new Pending(child, node.get("id")));
      }
    }
  }

  private void writeLine(Map<String, Object> line) throws IOException {
    out.write(json.writeValueAsBytes(line));
    out.write('\n');
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> connectionNodes(Object value) {
    if (!(value instanceof Map<?, ?> m)) {
      return null;
    }
    if (m.get("nodes") instanceof List<?> nodes) {
      return (List<Map<String, Object>>) nodes;
    }
    if (m.get("edges") instanceof List<?> edges) {
      List<Map<String, Object>> out = new ArrayList<>();
      for (Object edge : edges) {
        out.add((Map<String, Object>) ((Map<String, Object>) edge).get("node"));
      }
      return out;
    }
    return null;
  }
}
