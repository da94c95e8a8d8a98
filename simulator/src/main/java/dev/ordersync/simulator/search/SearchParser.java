package dev.ordersync.simulator.search;

import dev.ordersync.simulator.store.SimOrder;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Shopify's search syntax for orders: {@code Term = [Modifier] ( "(" Query ")" | [name Comparator]
 * value )}, comparators {@code : :< :> :<= :>=}, connectives AND / OR (implicit AND; OR binds
 * tighter), modifiers {@code -} and {@code NOT}. Time values compare to the whole second.
 */
public final class SearchParser {
  private final ZoneId shopZone;
  private final Instant now;
  private final List<String> warnings = new ArrayList<>();
  private List<Token> tokens;
  private int pos;

  private SearchParser(ZoneId shopZone, Instant now) {
    this.shopZone = shopZone;
    this.now = now;
  }

  /** Parses {@code query}; throws {@link SearchSyntaxException} on unbalanced parentheses. */
  public static SearchQuery parse(String query, ZoneId shopZone, Instant now) {
    if (query == null || query.isBlank()) {
      return SearchQuery.all();
    }
    SearchParser parser = new SearchParser(shopZone, now);
    parser.tokens = Tokenizer.tokenize(query);
    parser.pos = 0;
    Predicate<SimOrder> p = parser.parseAnd();
    if (parser.pos < parser.tokens.size()) {
      throw new SearchSyntaxException(
          "unexpected '" + parser.tokens.get(parser.pos).text + "' in search query: " + query);
    }
    return new SearchQuery(
        p, List.copyOf(parser.warnings), parser.bounds("created_at"), parser.bounds("updated_at"));
  }

  /** The range a plain AND of terms implies for {@code field}; null for anything fancier. */
  private SearchQuery.Range bounds(String field) {
    SearchQuery.Range r = null;
    for (Token t : tokens) {
      if (t.kind == Token.Kind.PAREN
          || t.negated
          || (t.field == null && (t.value.equals("OR") || t.value.equals("NOT")))) {
        return null;
      }
      if (t.field == null || !t.field.equalsIgnoreCase(field)) {
        continue;
      }
      Instant v = parseTime(t.value);
      if (v == null) {
        continue;
      }
      v = v.truncatedTo(ChronoUnit.SECONDS);
      Instant next = v.plusSeconds(1);
      SearchQuery.Range base = r == null ? new SearchQuery.Range(null, null) : r;
      r =
          switch (t.comparator) {
            case ":>=" -> base.narrow(v, null);
            case ":>" -> base.narrow(next, null);
            case ":<" -> base.narrow(null, v);
            case ":<=" -> base.narrow(null, next);
            default -> base.narrow(v, next);
          };
    }
    return r;
  }

  private Predicate<SimOrder> parseAnd() {
    Predicate<SimOrder> left = parseOr();
    while (pos < tokens.size() && !peek(")")) {
      if (peekWord("AND")) {
        pos++;
      }
      left = left.and(parseOr());
    }
    return left;
  }

  private Predicate<SimOrder> parseOr() {
    Predicate<SimOrder> left = parseUnary();
    while (peekWord("OR")) {
      pos++;
      left = left.or(parseUnary());
    }
    return left;
  }

  private Predicate<SimOrder> parseUnary() {
    if (peekWord("NOT")) {
      pos++;
      return parseUnary().negate();
    }
    Token t = next();
    if (t.kind == Token.Kind.PAREN && t.text.equals("(")) {
      Predicate<SimOrder> inner = parseAnd();
      Token close = pos < tokens.size() ? next() : null;
      if (close == null || !close.text.equals(")")) {
        throw new SearchSyntaxException("missing ')' in search query");
      }
      return inner;
    }
    if (t.kind == Token.Kind.PAREN) {
      throw new SearchSyntaxException("unexpected ')' in search query");
    }
    return term(t);
  }

  private Predicate<SimOrder> term(Token t) {
    boolean negate = t.negated;
    Predicate<SimOrder> p;
    if (t.field == null) {
      String needle = t.value.toLowerCase(Locale.ROOT);
      p =
          o ->
              o.name().toLowerCase(Locale.ROOT).contains(needle)
                  || (o.email() != null && o.email().toLowerCase(Locale.ROOT).contains(needle));
    } else {
      p = fieldTerm(t.field.toLowerCase(Locale.ROOT), t.comparator, t.value);
    }
    return negate ? p.negate() : p;
  }

  private Predicate<SimOrder> fieldTerm(String field, String cmp, String value) {
    switch (field) {
      case "created_at":
        return timeTerm(SimOrder::createdAt, cmp, value, field);
      case "updated_at":
        return timeTerm(SimOrder::updatedAt, cmp, value, field);
      case "processed_at":
        return timeTerm(SimOrder::processedAt, cmp, value, field);
      case "id":
        return idTerm(cmp, value);
      case "status":
        return statusTerm(value);
      case "test":
        boolean wanted = Boolean.parseBoolean(value);
        return o -> o.test() == wanted;
      case "source_name":
        return o -> value.equalsIgnoreCase(o.sourceName());
      case "financial_status":
        return o -> value.equalsIgnoreCase(o.financialStatus());
      case "fulfillment_status":
        return o -> value.equalsIgnoreCase(o.fulfillmentStatus());
      case "name":
        return o -> o.name().equalsIgnoreCase(value) || o.name().equalsIgnoreCase("#" + value);
      case "email":
        return o -> value.equalsIgnoreCase(o.email());
      case "tag":
        return o -> o.tags().stream().anyMatch(value::equalsIgnoreCase);
      default:
        warnings.add("Invalid search field for this query: '" + field + "'. The term was ignored.");
        return o -> true;
    }
  }

  private Predicate<SimOrder> statusTerm(String value) {
    switch (value.toLowerCase(Locale.ROOT)) {
      case "open":
        return o -> o.closedAt() == null && o.cancelledAt() == null;
      case "closed":
        return o -> o.closedAt() != null;
      case "cancelled":
        return o -> o.cancelledAt() != null;
      case "not_closed":
        return o -> o.closedAt() == null;
      case "any":
        return o -> true;
      default:
        warnings.add("Invalid value for status: '" + value + "'. The term was ignored.");
        return o -> true;
    }
  }

  private Predicate<SimOrder> idTerm(String cmp, String value) {
    long v;
    try {
      v = Long.parseLong(value.replace("gid://shopify/Order/", ""));
    } catch (NumberFormatException e) {
      warnings.add("Invalid value for id: '" + value + "'. The term was ignored.");
      return o -> true;
    }
    return compare(o -> o.id(), cmp, v);
  }

  private Predicate<SimOrder> timeTerm(
      Function<SimOrder, Instant> getter, String cmp, String value, String field) {
    Instant at = parseTime(value);
    if (at == null) {
      warnings.add("Invalid date for " + field + ": '" + value + "'. The term was ignored.");
      return o -> true;
    }
    Instant bound = at.truncatedTo(ChronoUnit.SECONDS);
    return compare(o -> getter.apply(o).truncatedTo(ChronoUnit.SECONDS), cmp, bound);
  }

  private Instant parseTime(String value) {
    if (value.equalsIgnoreCase("now")) {
      return now;
    }
    try {
      return OffsetDateTime.parse(value).toInstant();
    } catch (DateTimeParseException e) {
      // fall through
    }
    try {
      return Instant.parse(value);
    } catch (DateTimeParseException e) {
      // fall through
    }
    try {
      return LocalDate.parse(value).atStartOfDay(shopZone).toInstant();
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  private static <T extends Comparable<T>> Predicate<SimOrder> compare(
      Function<SimOrder, T> getter, String cmp, T bound) {
    switch (cmp) {
      case ":":
        return o -> getter.apply(o).compareTo(bound) == 0;
      case ":<":
        return o -> getter.apply(o).compareTo(bound) < 0;
      case ":<=":
        return o -> getter.apply(o).compareTo(bound) <= 0;
      case ":>":
        return o -> getter.apply(o).compareTo(bound) > 0;
      case ":>=":
        return o -> getter.apply(o).compareTo(bound) >= 0;
      default:
        throw new SearchSyntaxException("unknown comparator " + cmp);
    }
  }

  private boolean peek(String text) {
    return pos < tokens.size()
        && tokens.get(pos).kind == Token.Kind.PAREN
        && tokens.get(pos).text.equals(text);
  }

  private boolean peekWord(String word) {
    return pos < tokens.size()
        && tokens.get(pos).kind == Token.Kind.WORD
        && tokens.get(pos).field == null
        && !tokens.get(pos).negated
        && !tokens.get(pos).quoted
        && tokens.get(pos).value.equals(word);
  }

  private Token next() {
    if (pos >= tokens.size()) {
      throw new SearchSyntaxException("search query ends too early");
    }
    return tokens.get(pos++);
  }
}
