package dev.reprise.model;

import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Removes credentials from text that came from elsewhere (an upstream error body, an exception
 * message) before it is logged. Known secrets are removed by value; anything shaped like a bearer
 * token or a provider key is removed by pattern, because a provider may echo a key it rejected.
 */
public final class Redactor {
  private static final Pattern KEY_SHAPED =
      Pattern.compile("(?i)(bearer\\s+\\S+|\\b(sk|pk|rk|key)-[A-Za-z0-9_\\-*.]{6,})");
  private static final int MAX_LENGTH = 500;

  private final List<String> secrets;

  public Redactor(List<Secret> secrets) {
    this.secrets =
        secrets.stream()
            .map(Secret::value)
            .filter(v -> v.length() >= 4)
            .sorted(Comparator.comparingInt(String::length).reversed())
            .toList();
  }

  public static Redactor none() {
    return new Redactor(List.of());
  }

  /** The text without secrets, cut to a length fit for one log line. */
  public String clean(String text) {
    if (text == null) {
      return "";
    }
    String result = text;
    for (String secret : secrets) {
      result = result.replace(secret, "[redacted]");
    }
    result = KEY_SHAPED.matcher(result).replaceAll("[redacted]");
    result = result.replaceAll("\\s+", " ").strip();
    return result.length() <= MAX_LENGTH ? result : result.substring(0, MAX_LENGTH) + "…";
  }
}
