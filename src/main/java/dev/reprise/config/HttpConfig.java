package dev.reprise.config;

import java.time.Duration;

/**
 * How long the HTTP server waits on a client that sends nothing.
 *
 * @param readTimeout the longest wait for the next bytes of a request: its request line, its
 *     headers, its body, or the next request on a kept-alive connection; the connection is closed
 *     then
 * @param idleTimeout the longest a connection may wait for a whole request line (bytes trickled in
 *     below the read timeout included) or sit idle between requests; checked every tenth of it
 */
public record HttpConfig(Duration readTimeout, Duration idleTimeout) {
  public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(20);
  public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(60);

  public HttpConfig {
    if (readTimeout.compareTo(Duration.ofMillis(100)) < 0) {
      throw new ConfigException("REPRISE_HTTP_READ_TIMEOUT must be at least 100ms");
    }
    if (idleTimeout.compareTo(Duration.ofSeconds(1)) < 0) {
      throw new ConfigException("REPRISE_HTTP_IDLE_TIMEOUT must be at least 1s");
    }
  }

  public static HttpConfig defaults() {
    return new HttpConfig(DEFAULT_READ_TIMEOUT, DEFAULT_IDLE_TIMEOUT);
  }

  static HttpConfig from(Env e) {
    return new HttpConfig(
        e.duration("REPRISE_HTTP_READ_TIMEOUT", DEFAULT_READ_TIMEOUT),
        e.duration("REPRISE_HTTP_IDLE_TIMEOUT", DEFAULT_IDLE_TIMEOUT));
  }
}
