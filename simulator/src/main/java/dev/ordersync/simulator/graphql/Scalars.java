package dev.ordersync.simulator.graphql;

import graphql.GraphQLContext;
import graphql.execution.CoercedVariables;
import graphql.language.StringValue;
import graphql.language.Value;
import graphql.schema.Coercing;
import graphql.schema.CoercingParseLiteralException;
import graphql.schema.CoercingParseValueException;
import graphql.schema.GraphQLScalarType;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Locale;

/** Shopify's custom scalars as they appear on the wire: all of them are JSON strings. */
final class Scalars {
  private Scalars() {}

  static final GraphQLScalarType DATE_TIME =
      stringScalar("DateTime", v -> ((Instant) v).truncatedTo(ChronoUnit.SECONDS).toString());
  static final GraphQLScalarType DECIMAL =
      stringScalar(
          "Decimal",
          v ->
              ((BigDecimal) v).stripTrailingZeros().scale() <= 0
                  ? ((BigDecimal) v).setScale(1).toPlainString()
                  : ((BigDecimal) v).stripTrailingZeros().toPlainString());
  static final GraphQLScalarType UNSIGNED_INT64 = stringScalar("UnsignedInt64", String::valueOf);
  static final GraphQLScalarType URL = stringScalar("URL", String::valueOf);

  private interface Serializer {
    String apply(Object value);
  }

  private static GraphQLScalarType stringScalar(String name, Serializer serializer) {
    return GraphQLScalarType.newScalar()
        .name(name)
        .coercing(
            new Coercing<Object, String>() {
              @Override
              public String serialize(Object value, GraphQLContext ctx, Locale locale) {
                return serializer.apply(value);
              }

              @Override
              public Object parseValue(Object input, GraphQLContext ctx, Locale locale) {
                if (input instanceof String s) {
                  return s;
                }
                throw new CoercingParseValueException(name + " must be a string");
              }

              @Override
              public Object parseLiteral(
                  Value<?> input, CoercedVariables vars, GraphQLContext ctx, Locale locale) {
                if (input instanceof StringValue s) {
                  return s.getValue();
                }
                throw new CoercingParseLiteralException(name + " must be a string");
              }
            })
        .build();
  }
}
