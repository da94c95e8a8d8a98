package dev.ordersync.shopify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.ordersync.simulator.graphql.ShopGraphQl;
import graphql.ParseAndValidate;
import graphql.language.Document;
import graphql.parser.Parser;
import graphql.schema.GraphQLArgument;
import graphql.schema.GraphQLEnumType;
import graphql.schema.GraphQLEnumValueDefinition;
import graphql.schema.GraphQLFieldDefinition;
import graphql.schema.GraphQLFieldsContainer;
import graphql.schema.GraphQLInputObjectField;
import graphql.schema.GraphQLInputObjectType;
import graphql.schema.GraphQLNamedType;
import graphql.schema.GraphQLSchema;
import graphql.schema.GraphQLTypeUtil;
import graphql.schema.idl.SchemaParser;
import graphql.schema.idl.UnExecutableSchemaGenerator;
import graphql.validation.ValidationError;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every document order-sync sends validates against Shopify's published Admin schema, and every
 * type, field, argument and enum value of the simulator's subset exists there with the same type.
 * Needs shared/shopify/admin-2026-04.graphql beside the repository; skipped, saying so, without.
 */
class SchemaFidelityTest {
  private static GraphQLSchema shopify;

  @BeforeAll
  static void loadShopifySchema() throws IOException {
    Path file = locate();
    assumeTrue(
        file != null,
        "Shopify's schema shared/shopify/admin-2026-04.graphql was not "
            + "found beside the repository; the fidelity test is skipped");
    String sdl = Files.readString(file);
    shopify = UnExecutableSchemaGenerator.makeUnExecutableSchema(new SchemaParser().parse(sdl));
  }

  private static Path locate() {
    String override = System.getProperty("order-sync.shopify-schema");
    if (override != null) {
      return Files.exists(Path.of(override)) ? Path.of(override) : null;
    }
    Path dir = Path.of("").toAbsolutePath();
    for (int up = 0; up < 5 && dir != null; up++, dir = dir.getParent()) {
      Path candidate = dir.resolve("shared/shopify/admin-2026-04.graphql");
      if (Files.exists(candidate)) {
        return candidate;
      }
      Path sibling = dir.resolveSibling("shared").resolve("shopify/admin-2026-04.graphql");
      if (Files.exists(sibling)) {
        return sibling;
      }
    }
    return null;
  }

  static Map<String, String> documentsWeSend() throws IllegalAccessException {
    Map<String, String> docs = new LinkedHashMap<>();
    for (Field f : OrderQueries.class.getDeclaredFields()) {
      if (Modifier.isStatic(f.getModifiers())
          && f.getType() == String.class
          && Modifier.isPublic(f.getModifiers())) {
        docs.put(f.getName(), (String) f.get(null));
      }
    }
    docs.put(
        "bulkOrders(...)",
        OrderQueries.bulkOrders(
            "updated_at:>='2026-11-01T00:00:00Z' AND updated_at:<'2026-11-02T00:00:00Z'"));
    return docs;
  }

  @Test
  void every_document_order_sync_sends_is_valid_against_shopifys_schema() throws Exception {
    Map<String, String> docs = documentsWeSend();
    assertThat(docs)
        .containsKeys(
            "ORDER_VERSIONS",
            "ORDERS_COUNT",
            "ORDER_IDS",
            "ORDERS_BY_ID",
            "LINE_ITEMS",
            "SHOP",
            "WEBHOOK_CREATE",
            "BULK_RUN",
            "BULK_STATUS",
            "BULK_CANCEL",
            "bulkOrders(...)");
    Map<String, List<String>> problems = new LinkedHashMap<>();
    for (Map.Entry<String, String> d : docs.entrySet()) {
      Document doc = Parser.parse(d.getValue());
      List<ValidationError> errors = ParseAndValidate.validate(shopify, doc);
      if (!errors.isEmpty()) {
        problems.put(d.getKey(), errors.stream().map(ValidationError::getMessage).toList());
      }
    }
    assertThat(problems).isEmpty();
  }

  /** Issue 13: a deprecated field is removed in a later version; none may be relied on. */
  @Test
  void no_document_order_sync_sends_uses_a_deprecated_field() throws Exception {
    Map<String, List<String>> used = new LinkedHashMap<>();
    for (Map.Entry<String, String> d : documentsWeSend().entrySet()) {
      List<String> deprecated = new ArrayList<>();
      Document doc = Parser.parse(d.getValue());
      graphql.analysis.QueryTraverser.newQueryTraverser()
          .schema(shopify)
          .document(doc)
          .coercedVariables(graphql.execution.CoercedVariables.of(sampleVariables(doc)))
          .build()
          .visitPreOrder(
              new graphql.analysis.QueryVisitorStub() {
                @Override
                public void visitField(graphql.analysis.QueryVisitorFieldEnvironment env) {
                  if (env.getFieldDefinition().isDeprecated()) {
                    deprecated.add(
                        env.getFieldsContainer().getName() + "." + env.getField().getName());
                  }
                }
              });
      if (!deprecated.isEmpty()) {
        used.put(d.getKey(), deprecated);
      }
    }
    assertThat(used).isEmpty();
  }

  /** A value of the right type for every variable a document declares. */
  private static Map<String, Object> sampleVariables(Document doc) {
    Map<String, Object> vars = new LinkedHashMap<>();
    for (graphql.language.OperationDefinition op :
        doc.getDefinitionsOfType(graphql.language.OperationDefinition.class)) {
      for (graphql.language.VariableDefinition v : op.getVariableDefinitions()) {
        vars.put(v.getName(), sample(v.getType()));
      }
    }
    return vars;
  }

  private static Object sample(graphql.language.Type<?> type) {
    if (type instanceof graphql.language.NonNullType nn) {
      return sample(nn.getType());
    }
    if (type instanceof graphql.language.ListType list) {
      return List.of(sample(list.getType()));
    }
    String name = ((graphql.language.TypeName) type).getName();
    if (shopify.getType(name) instanceof GraphQLEnumType e) {
      return e.getValues().get(0).getName();
    }
    return switch (name) {
      case "Int" -> 1;
      case "Boolean" -> true;
      default -> "gid://shopify/Order/1";
    };
  }

  @Test
  void a_misspelt_field_is_rejected_so_the_check_has_teeth() {
    Document doc = Parser.parse("{ orders(first: 1) { nodes { idd } } }");
    assertThat(ParseAndValidate.validate(shopify, doc)).isNotEmpty();
  }

  @Test
  void the_simulators_subset_matches_shopifys_types_fields_and_arguments() {
    GraphQLSchema ours =
        UnExecutableSchemaGenerator.makeUnExecutableSchema(
            new SchemaParser().parse(ShopGraphQl.schemaText()));
    List<String> problems = new ArrayList<>();
    for (GraphQLNamedType type :
        ours.getAllTypesAsList().stream().map(GraphQLNamedType.class::cast).toList()) {
      if (type.getName().startsWith("__")
          || List.of("String", "Int", "Boolean", "ID", "Float").contains(type.getName())) {
        continue;
      }
      GraphQLNamedType real = (GraphQLNamedType) shopify.getType(type.getName());
      if (real == null) {
        problems.add("type " + type.getName() + " does not exist in Shopify's schema");
        continue;
      }
      if (type instanceof GraphQLFieldsContainer fc) {
        for (GraphQLFieldDefinition f : fc.getFieldDefinitions()) {
          GraphQLFieldDefinition rf =
              ((GraphQLFieldsContainer) real).getFieldDefinition(f.getName());
          String where = type.getName() + "." + f.getName();
          if (rf == null) {
            problems.add(where + " does not exist");
            continue;
          }
          same(problems, where, f.getType(), rf.getType());
          for (GraphQLArgument a : f.getArguments()) {
            GraphQLArgument ra = rf.getArgument(a.getName());
            if (ra == null) {
              problems.add(where + "(" + a.getName() + ") does not exist");
            } else {
              same(problems, where + "(" + a.getName() + ")", a.getType(), ra.getType());
            }
          }
        }
      } else if (type instanceof GraphQLInputObjectType in) {
        for (GraphQLInputObjectField f : in.getFieldDefinitions()) {
          GraphQLInputObjectField rf =
              ((GraphQLInputObjectType) real).getFieldDefinition(f.getName());
          if (rf == null) {
            problems.add(type.getName() + "." + f.getName() + " does not exist");
          } else {
            same(problems, type.getName() + "." + f.getName(), f.getType(), rf.getType());
          }
        }
      } else if (type instanceof GraphQLEnumType e) {
        for (GraphQLEnumValueDefinition v : e.getValues()) {
          if (((GraphQLEnumType) real).getValue(v.getName()) == null) {
            problems.add("enum value " + type.getName() + "." + v.getName() + " does not exist");
          }
        }
      }
    }
    assertThat(problems).isEmpty();
  }

  private static void same(
      List<String> problems,
      String where,
      graphql.schema.GraphQLType ours,
      graphql.schema.GraphQLType real) {
    String a = GraphQLTypeUtil.simplePrint(ours);
    String b = GraphQLTypeUtil.simplePrint(real);
    if (!a.equals(b)) {
      problems.add(where + " is " + a + " here but " + b + " in Shopify's schema");
    }
  }
}
