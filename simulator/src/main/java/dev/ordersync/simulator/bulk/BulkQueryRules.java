package dev.ordersync.simulator.bulk;

import graphql.language.Document;
import graphql.language.Field;
import graphql.language.FragmentDefinition;
import graphql.language.FragmentSpread;
import graphql.language.InlineFragment;
import graphql.language.OperationDefinition;
import graphql.language.Selection;
import graphql.language.SelectionSet;
import graphql.schema.GraphQLFieldDefinition;
import graphql.schema.GraphQLFieldsContainer;
import graphql.schema.GraphQLImplementingType;
import graphql.schema.GraphQLNamedType;
import graphql.schema.GraphQLSchema;
import graphql.schema.GraphQLTypeUtil;
import graphql.validation.ValidationError;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * What Shopify checks of a bulk query before it runs: a valid query, at least one connection, at
 * most five, nested at most two deep, no top-level {@code node}/{@code nodes}, and every connection
 * of nodes that have an id (the {@code __parentId} of their children). The simulator runs bulk
 * queries over {@code orders} only.
 */
final class BulkQueryRules {
  static final int MAX_CONNECTIONS = 5;
  static final int MAX_DEPTH = 2;

  private BulkQueryRules() {}

  /** Whether the query has a connection inside its root one (children with a parent). */
  static boolean hasNestedConnection(GraphQLSchema schema, Document doc) {
    Count count = new Count();
    Map<String, FragmentDefinition> fragments =
        doc.getDefinitionsOfType(FragmentDefinition.class).stream()
            .collect(Collectors.toMap(FragmentDefinition::getName, Function.identity()));
    OperationDefinition op = doc.getDefinitionsOfType(OperationDefinition.class).get(0);
    check(schema.getQueryType(), op.getSelectionSet(), fragments, 0, count);
    return count.connections > 1;
  }

  /** What is wrong with {@code doc}, in Shopify's words where known; empty when it may run. */
  static Optional<String> problem(GraphQLSchema schema, Document doc) {
    List<ValidationError> invalid = graphql.ParseAndValidate.validate(schema, doc);
    if (!invalid.isEmpty()) {
      return Optional.of("Invalid bulk query: " + invalid.get(0).getMessage());
    }
    List<OperationDefinition> ops = doc.getDefinitionsOfType(OperationDefinition.class);
    if (ops.size() != 1 || ops.get(0).getOperation() != OperationDefinition.Operation.QUERY) {
      return Optional.of("Invalid bulk query: a bulk query is one query operation");
    }
    if (!ops.get(0).getVariableDefinitions().isEmpty()) {
      return Optional.of("Invalid bulk query: bulk queries cannot take variables");
    }
    Map<String, FragmentDefinition> fragments =
        doc.getDefinitionsOfType(FragmentDefinition.class).stream()
            .collect(Collectors.toMap(FragmentDefinition::getName, Function.identity()));
    List<Field> roots = fields(ops.get(0).getSelectionSet(), fragments);
    for (Field root : roots) {
      if (root.getName().equals("node") || root.getName().equals("nodes")) {
        return Optional.of(
            "Invalid bulk query: The top level field " + root.getName() + " is not allowed");
      }
    }
    if (roots.size() != 1 || !roots.get(0).getName().equals("orders")) {
      return Optional.of(
          "Invalid bulk query: the simulator runs bulk queries over the orders connection only");
    }
    Count count = new Count();
    Optional<String> nested =
        check(schema.getQueryType(), ops.get(0).getSelectionSet(), fragments, 0, count);
    if (nested.isPresent()) {
      return nested;
    }
    if (count.connections > MAX_CONNECTIONS) {
      return Optional.of(
          "Invalid bulk query: Bulk queries cannot contain more than "
              + MAX_CONNECTIONS
              + " connections");
    }
    return Optional.empty();
  }

  private static final class Count {
    int connections;
  }

  private static Optional<String> check(
      GraphQLFieldsContainer container,
      SelectionSet set,
      Map<String, FragmentDefinition> fragments,
      int depth,
      Count count) {
    for (Field f : fields(set, fragments)) {
      GraphQLFieldDefinition def = container.getFieldDefinition(f.getName());
      if (def == null || f.getSelectionSet() == null) {
        continue;
      }
      GraphQLNamedType type = (GraphQLNamedType) GraphQLTypeUtil.unwrapAll(def.getType());
      if (!(type instanceof GraphQLFieldsContainer inner)) {
        continue;
      }
      Optional<String> p =
          type.getName().endsWith("Connection")
              ? connection(f, inner, fragments, depth + 1, count)
              : check(inner, f.getSelectionSet(), fragments, depth, count);
      if (p.isPresent()) {
        return p;
      }
    }
    return Optional.empty();
  }

  private static Optional<String> connection(
      Field f,
      GraphQLFieldsContainer connection,
      Map<String, FragmentDefinition> fragments,
      int depth,
      Count count) {
    count.connections++;
    if (depth > MAX_DEPTH) {
      return Optional.of(
          "Invalid bulk query: Bulk queries cannot contain connections with a nesting depth "
              + "greater than "
              + MAX_DEPTH);
    }
    GraphQLFieldsContainer node =
        (GraphQLFieldsContainer)
            GraphQLTypeUtil.unwrapAll(connection.getFieldDefinition("nodes").getType());
    boolean isNode =
        node instanceof GraphQLImplementingType t
            && t.getInterfaces().stream().anyMatch(i -> i.getName().equals("Node"));
    if (!isNode) {
      return Optional.of(
          "Invalid bulk query: The connection "
              + f.getName()
              + " returns "
              + node.getName()
              + ", which does not implement Node; bulk queries only support connections of nodes");
    }
    for (Field part : fields(f.getSelectionSet(), fragments)) {
      if (part.getSelectionSet() == null) {
        continue;
      }
      Optional<String> p = Optional.empty();
      if (part.getName().equals("nodes")) {
        p = check(node, part.getSelectionSet(), fragments, depth, count);
      } else if (part.getName().equals("edges")) {
        for (Field e : fields(part.getSelectionSet(), fragments)) {
          if (e.getName().equals("node") && e.getSelectionSet() != null) {
            p = check(node, e.getSelectionSet(), fragments, depth, count);
          }
        }
      }
      if (p.isPresent()) {
        return p;
      }
    }
    return Optional.empty();
  }

  /** The fields a selection set selects, fragments spread. */
  static List<Field> fields(SelectionSet set, Map<String, FragmentDefinition> fragments) {
    List<Field> out = new java.util.ArrayList<>();
    for (Selection<?> s : set.getSelections()) {
      if (s instanceof Field f) {
        out.add(f);
      } else if (s instanceof InlineFragment i) {
        out.addAll(fields(i.getSelectionSet(), fragments));
      } else if (s instanceof FragmentSpread spread && fragments.containsKey(spread.getName())) {
        out.addAll(fields(fragments.get(spread.getName()).getSelectionSet(), fragments));
      }
    }
    return out;
  }
}
