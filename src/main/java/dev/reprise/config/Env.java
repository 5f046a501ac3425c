package dev.reprise.config;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Typed reads of environment variables, each failure naming the variable and the value it got. */
public final class Env {
  private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)");

  private final Map<String, String> values;

  public Env(Map<String, String> values) {
    this.values = values;
  }

  public Optional<String> optional(String name) {
    String value = values.get(name);
    return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
  }

  public String string(String name, String fallback) {
    return optional(name).orElse(fallback);
  }

  /** A comma-separated list; blank items are dropped. */
  public List<String> list(String name) {
    return optional(name).stream()
        .flatMap(raw -> Arrays.stream(raw.split(",")))
        .map(String::trim)
        .filter(item -> !item.isEmpty())
        .toList();
  }

  public boolean bool(String name, boolean fallback) {
    Optional<String> raw = optional(name);
    if (raw.isEmpty()) {
      return fallback;
    }
    return switch (raw.get().toLowerCase(Locale.ROOT)) {
      case "true", "yes", "1", "on" -> true;
      case "false", "no", "0", "off" -> false;
      default ->
          throw new ConfigException(name + " must be true or false, got '" + raw.get() + "'");
    };
  }

  /** The raw values, e.g. for ${VAR} references in a config file. */
  public Map<String, String> all() {
    return values;
  }

  /**
   * A limit: a whole number of at least {@code min}, or {@code off} for none ({@link
   * LimitsConfig#OFF}).
   */
  public int limit(String name, int fallback, int min) {
    Optional<String> raw = optional(name);
    if (raw.isPresent() && raw.get().equalsIgnoreCase("off")) {
      return LimitsConfig.OFF;
    }
    try {
      return integer(name, fallback, min);
    } catch (ConfigException e) {
      throw new ConfigException(
          name + " must be off or a whole number of at least " + min + ", got '" + raw.get() + "'");
    }
  }

  /** A whole number of at least {@code min}. */
  public int integer(String name, int fallback, int min) {
    int value = integer(name, fallback);
    if (value < min) {
      throw new ConfigException(name + " must be at least " + min + ", got " + value);
    }
    return value;
  }

  public int integer(String name, int fallback) {
    Optional<String> raw = optional(name);
    if (raw.isEmpty()) {
      return fallback;
    }
    try {
      return Integer.parseInt(raw.get());
    } catch (NumberFormatException e) {
      throw new ConfigException(name + " must be a whole number, got '" + raw.get() + "'");
    }
  }

  public long longNumber(String name, long fallback) {
    Optional<String> raw = optional(name);
    if (raw.isEmpty()) {
      return fallback;
    }
    try {
      return Long.parseLong(raw.get().trim());
    } catch (NumberFormatException e) {
      throw new ConfigException(name + " must be a whole number, got '" + raw.get() + "'");
    }
  }

  public Duration millis(String name, Duration fallback) {
    Optional<String> raw = optional(name);
    if (raw.isEmpty()) {
      return fallback;
    }
    try {
      long millis = Long.parseLong(raw.get());
      if (millis < 0) {
        throw new ConfigException(
            name + " must be 0 or more milliseconds, got '" + raw.get() + "'");
      }
      return Duration.ofMillis(millis);
    } catch (NumberFormatException e) {
      throw new ConfigException(
          name + " must be a number of milliseconds, got '" + raw.get() + "'");
    }
  }

  /** A duration such as {@code 500ms}, {@code 30s}, {@code 15m}, {@code 24h} or {@code 7d}. */
  public Duration duration(String name, Duration fallback) {
    Optional<String> raw = optional(name);
    if (raw.isEmpty()) {
      return fallback;
    }
    Matcher m = DURATION.matcher(raw.get().toLowerCase(Locale.ROOT));
    if (!m.matches()) {
      throw new ConfigException(
          name + " must be a duration such as 30s, 15m, 24h or 7d, got '" + raw.get() + "'");
    }
    try {
      long amount = Long.parseLong(m.group(1));
      Duration duration =
          switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(amount);
            case "s" -> Duration.ofSeconds(amount);
            case "m" -> Duration.ofMinutes(amount);
            case "h" -> Duration.ofHours(amount);
            default -> Duration.ofDays(amount);
          };
      duration.toMillis();
      return duration;
    } catch (ArithmeticException | NumberFormatException e) {
      throw new ConfigException(name + " is too large, got '" + raw.get() + "'");
    }
  }

  public <E extends Enum<E>> E choice(String name, Class<E> type, E fallback) {
    Optional<String> raw = optional(name);
    if (raw.isEmpty()) {
      return fallback;
    }
    try {
      return Enum.valueOf(type, raw.get().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      StringBuilder allowed = new StringBuilder();
      for (E constant : type.getEnumConstants()) {
        allowed
            .append(allowed.isEmpty() ? "" : ", ")
            .append(constant.name().toLowerCase(Locale.ROOT));
      }
      throw new ConfigException(name + " must be one of " + allowed + ", got '" + raw.get() + "'");
    }
  }
}
