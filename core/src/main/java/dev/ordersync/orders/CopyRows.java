package dev.ordersync.orders;

import java.io.Reader;
import java.io.StringReader;
import java.math.BigDecimal;

/** Rows in PostgreSQL's COPY text format: tab-separated, {@code \N} for NULL, backslash escapes. */
public final class CopyRows {
  private final StringBuilder text;
  private boolean inRow;

  public CopyRows(int expectedChars) {
    text = new StringBuilder(expectedChars);
  }

  public CopyRows add(Object value) {
    if (inRow) {
      text.append('\t');
    }
    inRow = true;
    append(value);
    return this;
  }

  public CopyRows addAll(Object[] values) {
    for (Object v : values) {
      add(v);
    }
    return this;
  }

  public void endRow() {
    text.append('\n');
    inRow = false;
  }

  public boolean isEmpty() {
    return text.length() == 0;
  }

  public Reader reader() {
    return new StringReader(text.toString());
  }

  private void append(Object v) {
    if (v == null) {
      text.append("\\N");
    } else if (v instanceof String s) {
      escape(s);
    } else if (v instanceof BigDecimal d) {
      text.append(d.toPlainString());
    } else if (v instanceof Boolean b) {
      text.append(b ? 't' : 'f');
    } else {
      text.append(v); // numbers, and Instants in ISO-8601 UTC, which timestamptz reads as such
    }
  }

  private void escape(String s) {
    for (int i = 0; i < s.length(); i++) {
      char ch = s.charAt(i);
      switch (ch) {
        case '\\' -> text.append("\\\\");
        case '\t' -> text.append("\\t");
        case '\n' -> text.append("\\n");
        case '\r' -> text.append("\\r");
        default -> text.append(ch);
      }
    }
  }
}
