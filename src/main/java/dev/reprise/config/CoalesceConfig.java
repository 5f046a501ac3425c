package dev.reprise.config;

import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/**
 * {@code REPRISE_COALESCE_MS}: how a run's text and reasoning deltas are merged before the log.
 * Unset or {@code 0} (the default): only deltas that queued while the previous write was in flight
 * are merged, which adds no latency and merges exactly when the log is the bottleneck. A number of
 * milliseconds also holds a delta that long for more of its part. {@code off} writes every delta as
 * its own chunk.
 */
public record CoalesceConfig(boolean enabled, Duration hold) {
  private static final Duration MAX_HOLD = Duration.ofSeconds(1);

  public CoalesceConfig {
    if (hold.isNegative() || hold.compareTo(MAX_HOLD) > 0) {
      throw new ConfigException("REPRISE_COALESCE_MS must be off, or 0 to 1000");
    }
  }

  static CoalesceConfig from(Env e) {
    Optional<String> raw = e.optional("REPRISE_COALESCE_MS").map(String::trim);
    if (raw.isPresent() && raw.get().toLowerCase(Locale.ROOT).equals("off")) {
      return new CoalesceConfig(false, Duration.ZERO);
    }
    try {
      return new CoalesceConfig(true, e.millis("REPRISE_COALESCE_MS", Duration.ZERO));
    } catch (ConfigException ex) {
      throw new ConfigException(
          "REPRISE_COALESCE_MS must be off, or a number of milliseconds from 0 to 1000, got '"
              + raw.orElse("")
              + "'");
    }
  }
}
