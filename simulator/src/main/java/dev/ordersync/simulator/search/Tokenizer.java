package dev.ordersync.simulator.search;

import java.util.ArrayList;
import java.util.List;

/** Splits a search string into parentheses and terms ({@code -field:>='quoted value'}). */
final class Tokenizer {
  private Tokenizer() {}

  static List<Token> tokenize(String q) {
    List<Token> out = new ArrayList<>();
    int i = 0;
    int n = q.length();
    while (i < n) {
      char c = q.charAt(i);
      if (Character.isWhitespace(c)) {
        i++;
        continue;
      }
      if (c == '(' || c == ')') {
        out.add(Token.paren(c));
        i++;
        continue;
      }
      int start = i;
      boolean negated = false;
      if (c == '-') {
        negated = true;
        i++;
      }
      StringBuilder name = new StringBuilder();
      while (i < n && isNameChar(q.charAt(i))) {
        name.append(q.charAt(i++));
      }
      String field = null;
      String comparator = null;
      if (i < n && q.charAt(i) == ':' && name.length() > 0) {
        field = name.toString();
        int cs = i++;
        while (i < n && (q.charAt(i) == '<' || q.charAt(i) == '>' || q.charAt(i) == '=')) {
          i++;
        }
        comparator = q.substring(cs, i);
        if (comparator.endsWith("=") && comparator.length() == 2 && comparator.charAt(0) == ':') {
          // ":=" searches the literal "=..." (Shopify's rule): keep '=' in the value
          i--;
          comparator = ":";
        }
        if (!List.of(":", ":<", ":>", ":<=", ":>=").contains(comparator)) {
          throw new SearchSyntaxException("unknown comparator '" + comparator + "' for " + field);
        }
      } else {
        i = start + (negated ? 1 : 0);
      }
      boolean quoted = false;
      String value;
      if (i < n && (q.charAt(i) == '\'' || q.charAt(i) == '"')) {
        char quote = q.charAt(i++);
        StringBuilder v = new StringBuilder();
        while (i < n && q.charAt(i) != quote) {
          if (q.charAt(i) == '\\' && i + 1 < n) {
            i++;
          }
          v.append(q.charAt(i++));
        }
        if (i >= n) {
          throw new SearchSyntaxException("unterminated quote in search query: " + q);
        }
        i++;
        quoted = true;
        value = v.toString();
      } else {
        StringBuilder v = new StringBuilder();
        while (i < n
            && !Character.isWhitespace(q.charAt(i))
            && q.charAt(i) != '('
            && q.charAt(i) != ')') {
          if (q.charAt(i) == '\\' && i + 1 < n) {
            i++;
          }
          v.append(q.charAt(i++));
        }
        value = v.toString();
      }
      out.add(Token.word(q.substring(start, i), field, comparator, value, negated, quoted));
    }
    return out;
  }

  private static boolean isNameChar(char c) {
    return Character.isLetterOrDigit(c) || c == '_' || c == '.';
  }
}
