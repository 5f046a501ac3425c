package dev.reprise.config;

import java.util.Optional;
import java.util.OptionalInt;

/**
 * The Prometheus endpoint, {@code GET /metrics}.
 *
 * @param enabled whether it is served at all
 * @param port a port of its own (served there only), or the API's port when empty
 * @param token when set, a scrape must send {@code Authorization: Bearer <token>}
 */
public record MetricsConfig(boolean enabled, OptionalInt port, Optional<String> token) {
  private static final int MIN_TOKEN = 16;

  public MetricsConfig {
    if (port.isPresent() && (port.getAsInt() < 0 || port.getAsInt() > 65535)) {
      throw new ConfigException(
          "REPRISE_METRICS_PORT must be between 0 and 65535, got " + port.getAsInt());
    }
    if (token.isPresent() && token.get().length() < MIN_TOKEN) {
      throw new ConfigException(
          "REPRISE_METRICS_TOKEN must be at least " + MIN_TOKEN + " characters");
    }
  }

  static MetricsConfig from(Env e) {
    Optional<String> port = e.optional("REPRISE_METRICS_PORT");
    OptionalInt parsed = OptionalInt.empty();
    if (port.isPresent()) {
      try {
        parsed = OptionalInt.of(Integer.parseInt(port.get().trim()));
      } catch (NumberFormatException ex) {
        throw new ConfigException(
            "REPRISE_METRICS_PORT must be a port number, got '" + port.get() + "'");
      }
    }
    return new MetricsConfig(
        e.bool("REPRISE_METRICS_ENABLED", true), parsed, e.optional("REPRISE_METRICS_TOKEN"));
  }
}
