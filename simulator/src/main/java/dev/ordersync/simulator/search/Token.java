package dev.ordersync.simulator.search;

final class Token {
  enum Kind {
    PAREN,
    WORD
  }

  final Kind kind;
  final String text;
  final String field;
  final String comparator;
  final String value;
  final boolean negated;
  final boolean quoted;

  private Token(
      Kind kind,
      String text,
      String field,
      String comparator,
      String value,
      boolean negated,
      boolean quoted) {
    this.kind = kind;
    this.text = text;
    this.field = field;
    this.comparator = comparator;
    this.value = value;
    this.negated = negated;
    this.quoted = quoted;
  }

  static Token paren(char c) {
    return new Token(Kind.PAREN, String.valueOf(c), null, null, null, false, false);
  }

  static Token word(
      String text, String field, String comparator, String value, boolean negated, boolean quoted) {
    return new Token(Kind.WORD, text, field, comparator, value, negated, quoted);
  }
}
