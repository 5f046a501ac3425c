package dev.reprise.config;

import java.net.URI;
import java.util.Optional;

/**
 * OpenTelemetry traces, off unless an OTLP endpoint is named, with the standard variables.
 *
 * @param endpoint {@code OTEL_EXPORTER_OTLP_ENDPOINT}: the collector's OTLP/HTTP base URL (spans go
 *     to {@code /v1/traces} under it); no traces without it
 * @param serviceName {@code OTEL_SERVICE_NAME}, {@code reprise} by default
 */
public record TracingConfig(Optional<URI> endpoint, String serviceName) {

  static TracingConfig from(Env e) {
    Optional<URI> endpoint =
        e.optional("OTEL_EXPORTER_OTLP_ENDPOINT")
            .map(
                url -> {
                  URI uri;
                  try {
                    uri = URI.create(url.trim());
                  } catch (IllegalArgumentException ex) {
                    uri = null;
                  }
                  if (uri == null
                      || uri.getHost() == null
                      || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))) {
                    throw new ConfigException(
                        "OTEL_EXPORTER_OTLP_ENDPOINT must be an http:// or https:// URL, got '"
                            + url
                            + "'");
                  }
                  return uri;
                });
    return new TracingConfig(endpoint, e.string("OTEL_SERVICE_NAME", "reprise"));
  }
}
