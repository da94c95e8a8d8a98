package dev.ordersync.simulator.cost;

import graphql.language.Argument;
import graphql.language.ArrayValue;
import graphql.language.Document;
import graphql.language.Field;
import graphql.language.FragmentDefinition;
import graphql.language.FragmentSpread;
import graphql.language.InlineFragment;
import graphql.language.IntValue;
import graphql.language.OperationDefinition;
import graphql.language.Selection;
import graphql.language.SelectionSet;
import graphql.language.Value;
import graphql.language.VariableReference;
import graphql.schema.GraphQLFieldDefinition;
import graphql.schema.GraphQLFieldsContainer;
import graphql.schema.GraphQLList;
import graphql.schema.GraphQLNonNull;
import graphql.schema.GraphQLSchema;
import graphql.schema.GraphQLType;
import graphql.schema.GraphQLUnmodifiedType;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Shopify's documented cost model: scalars and enums 0, objects 1, connections 2 plus the size
 * asked for ({@code first}/{@code last}) times the cost of one node, mutations 10. The requested
 * cost uses the sizes asked for; the actual cost walks the result and uses what came back.
 */
public final class QueryCost {
  private static final int MUTATION_COST = 10;
  private final GraphQLSchema schema;

  public QueryCost(GraphQLSchema schema) {
    this.schema = schema;
  }

  public int requested(Document doc, String operationName, Map<String, Object> variables) {
    return compute(doc, operationName, variables, null);
  }

  public int actual(
      Document doc, String operationName, Map<String, Object> variables, Map<String, Object> data) {
    return compute(doc, operationName, variables, data == null ? Map.of() : data);
  }

  private int compute(
      Document doc, String operationName, Map<String, Object> variables, Map<String, Object> data) {
    Map<String, FragmentDefinition> fragments = new HashMap<>();
    OperationDefinition op = null;
    for (var def : doc.getDefinitions()) {
      if (def instanceof FragmentDefinition f) {
        fragments.put(f.getName(), f);
      } else if (def instanceof OperationDefinition o
          && (operationName == null || operationName.equals(o.getName()))) {
        op = o;
      }
    }
    if (op == null) {
      return 0;
    }
    Walk walk = new Walk(fragments, variables == null ? Map.of() : variables);
    if (op.getOperation() == OperationDefinition.Operation.MUTATION) {
      return MUTATION_COST;
    }
    return walk.selectionCost(op.getSelectionSet(), schema.getQueryType(), data);
  }

  private final class Walk {
    private final Map<String, FragmentDefinition> fragments;
    private final Map<String, Object> variables;

    Walk(Map<String, FragmentDefinition> fragments, Map<String, Object> variables) {
      this.fragments = fragments;
      this.variables = variables;
    }

    int selectionCost(SelectionSet set, GraphQLFieldsContainer parent, Object data) {
      if (set == null) {
        return 0;
      }
      int total = 0;
      for (Selection<?> sel : set.getSelections()) {
        if (sel instanceof Field f) {
          total += fieldCost(f, parent, data);
        } else if (sel instanceof InlineFragment inl) {
          GraphQLFieldsContainer on =
              inl.getTypeCondition() == null
                  ? parent
                  : (GraphQLFieldsContainer) schema.getType(inl.getTypeCondition().getName());
          if (on != null && applies(on, data)) {
            total += selectionCost(inl.getSelectionSet(), on, data);
          }
        } else if (sel instanceof FragmentSpread spread) {
          FragmentDefinition fd = fragments.get(spread.getName());
          if (fd != null) {
            GraphQLFieldsContainer on =
                (GraphQLFieldsContainer) schema.getType(fd.getTypeCondition().getName());
            if (on != null && applies(on, data)) {
              total += selectionCost(fd.getSelectionSet(), on, data);
            }
          }
        }
      }
      return total;
    }

    private boolean applies(GraphQLFieldsContainer on, Object data) {
      if (data instanceof Map<?, ?> m && m.get("__typename") instanceof String t) {
        return t.equals(on.getName());
      }
      return true;
    }

    private int fieldCost(Field f, GraphQLFieldsContainer parent, Object parentData) {
      if (f.getName().startsWith("__")) {
        return 0;
      }
      GraphQLFieldDefinition def = parent.getFieldDefinition(f.getName());
      if (def == null) {
        return 0;
      }
      GraphQLType type = unwrapNonNull(def.getType());
      boolean list = type instanceof GraphQLList;
      GraphQLUnmodifiedType base = unwrapAll(type);
      if (!(base instanceof GraphQLFieldsContainer container)) {
        return 0;
      }
      boolean actual = parentData != null;
      Object data =
          actual && parentData instanceof Map<?, ?> m
              ? m.get(f.getAlias() != null ? f.getAlias() : f.getName())
              : null;
      if (actual && data == null) {
        return 0;
      }
      if (base.getName().endsWith("Connection")) {
        return connectionCost(f, container, data, actual);
      }
      if (list) {
        if (actual) {
          int sum = 0;
          for (Object item : (List<?>) data) {
            sum += item == null ? 0 : 1 + selectionCost(f.getSelectionSet(), container, item);
          }
          return sum;
        }
        int n = listSize(f);
        return n * (1 + selectionCost(f.getSelectionSet(), container, null));
      }
      return 1 + selectionCost(f.getSelectionSet(), container, actual ? data : null);
    }

    private int connectionCost(
        Field f, GraphQLFieldsContainer connection, Object data, boolean actual) {
      GraphQLFieldsContainer nodeType = nodeType(connection);
      SelectionSet nodesSel = null;
      SelectionSet edgesNodeSel = null;
      String nodesKey = "nodes";
      String edgesKey = "edges";
      String nodeKey = "node";
      for (Selection<?> s : f.getSelectionSet().getSelections()) {
        if (s instanceof Field cf && cf.getName().equals("nodes")) {
          nodesSel = cf.getSelectionSet();
          nodesKey = cf.getAlias() != null ? cf.getAlias() : "nodes";
        } else if (s instanceof Field cf && cf.getName().equals("edges")) {
          edgesKey = cf.getAlias() != null ? cf.getAlias() : "edges";
          for (Selection<?> es : cf.getSelectionSet().getSelections()) {
            if (es instanceof Field ef && ef.getName().equals("node")) {
              edgesNodeSel = ef.getSelectionSet();
              nodeKey = ef.getAlias() != null ? ef.getAlias() : "node";
            }
          }
        }
      }
      if (!actual) {
        int perNode =
            Math.max(
                nodesSel == null ? 0 : 1 + selectionCost(nodesSel, nodeType, null),
                edgesNodeSel == null ? 0 : 1 + selectionCost(edgesNodeSel, nodeType, null));
        return 2 + sizeArgument(f) * Math.max(perNode, 1);
      }
      Map<?, ?> conn = (Map<?, ?>) data;
      int sum = 2;
      if (nodesSel != null && conn.get(nodesKey) instanceof List<?> nodes) {
        for (Object n : nodes) {
          sum += 1 + selectionCost(nodesSel, nodeType, n);
        }
      } else if (edgesNodeSel != null && conn.get(edgesKey) instanceof List<?> edges) {
        for (Object e : edges) {
          Object n = ((Map<?, ?>) e).get(nodeKey);
          sum += 1 + selectionCost(edgesNodeSel, nodeType, n);
        }
      }
      return sum;
    }

    private GraphQLFieldsContainer nodeType(GraphQLFieldsContainer connection) {
      GraphQLFieldDefinition nodes = connection.getFieldDefinition("nodes");
      return (GraphQLFieldsContainer) unwrapAll(nodes.getType());
    }

    private int sizeArgument(Field f) {
      Integer first = intArg(f, "first");
      Integer last = intArg(f, "last");
      if (first != null) {
        return first;
      }
      return last != null ? last : 0;
    }

    private int listSize(Field f) {
      for (Argument a : f.getArguments()) {
        Object v = resolve(a.getValue());
        if (v instanceof List<?> l) {
          return l.size();
        }
      }
      return 1;
    }

    private Integer intArg(Field f, String name) {
      for (Argument a : f.getArguments()) {
        if (a.getName().equals(name)) {
          Object v = resolve(a.getValue());
          if (v instanceof Number n) {
            return n.intValue();
          }
        }
      }
      return null;
    }

    private Object resolve(Value<?> v) {
      if (v instanceof IntValue iv) {
        return iv.getValue().intValue();
      }
      if (v instanceof VariableReference ref) {
        return variables.get(ref.getName());
      }
      if (v instanceof ArrayValue av) {
        return av.getValues();
      }
      return null;
    }
  }

  private static GraphQLType unwrapNonNull(GraphQLType t) {
    return t instanceof GraphQLNonNull nn ? nn.getWrappedType() : t;
  }

  private static GraphQLUnmodifiedType unwrapAll(GraphQLType t) {
    return graphql.schema.GraphQLTypeUtil.unwrapAll(t);
  }
}
