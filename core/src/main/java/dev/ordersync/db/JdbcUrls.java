package dev.ordersync.db;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** JDBC URLs fit to show: every form of password in them masked. */
public final class JdbcUrls {
  private static final Pattern PASSWORD_PARAM = Pattern.compile("(?i)password=([^&;]*)");
  private static final Pattern USER_INFO = Pattern.compile("//[^/@:?;]*:([^@/?;]*)@");

  private JdbcUrls() {}

  public static String redact(String url) {
    return masked(url, url);
  }

  /** {@code text} with every password of {@code url} masked, wherever it appears in it. */
  public static String masked(String text, String url) {
    String out = text;
    for (Pattern p : List.of(PASSWORD_PARAM, USER_INFO)) {
      Matcher m = p.matcher(url);
      while (m.find()) {
        if (!m.group(1).isEmpty()) {
          out = out.replace(m.group(1), "***");
        }
      }
    }
    return out;
  }
}
