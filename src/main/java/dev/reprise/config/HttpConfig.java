package dev.reprise.config;

import java.time.Duration;

/**
 * How long the HTTP server waits on a client that sends nothing, and how many resumes set up their
 * stream at once.
 *
 * @param readTimeout the longest wait for the next bytes of a request: its request line, its
 *     headers, its body, or the next request on a kept-alive connection; the connection is closed
 *     then
 * @param idleTimeout the longest a connection may wait for a whole request line (bytes trickled in
 *     below the read timeout included) or sit idle between requests; checked every tenth of it
 * @param resumeConcurrency how many resumes ({@code GET /api/chat/{chatId}/stream}) at once do the
 *     work before their stream's first byte (authentication, the chat and run lookups, the reader
 *     slot); the others wait their turn
 */
public record HttpConfig(Duration readTimeout, Duration idleTimeout, int resumeConcurrency) {
  public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(20);
  public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(60);

  public HttpConfig {
    if (resumeConcurrency < 1) {
      throw new ConfigException("REPRISE_HTTP_RESUME_CONCURRENCY must be at least 1");
    }
    if (readTimeout.compareTo(Duration.ofMillis(100)) < 0) {
      throw new ConfigException("REPRISE_HTTP_READ_TIMEOUT must be at least 100ms");
    }
    if (idleTimeout.compareTo(Duration.ofSeconds(1)) < 0) {
      throw new ConfigException("REPRISE_HTTP_IDLE_TIMEOUT must be at least 1s");
    }
  }

  public static HttpConfig defaults() {
    return new HttpConfig(DEFAULT_READ_TIMEOUT, DEFAULT_IDLE_TIMEOUT, defaultResumeConcurrency());
  }

  /**
   * Two per core. A resume's set-up is short CPU work between fast reads, so two per core keep the
   * cores busy; more only interleave, and a burst of readers (a thousand reconnecting at once) then
   * holds the live streams' writers and readers back behind hundreds of half-done set-ups
   * (PostgreSQL + Redis, 1,000 readers joining a live run: fan-out p99 172-252 ms unbounded, 32-50
   * ms with 4 on 2 cores; bench/analysis.md section 4).
   */
  public static int defaultResumeConcurrency() {
    return 2 * Runtime.getRuntime().availableProcessors();
  }

  static HttpConfig from(Env e) {
    return new HttpConfig(
        e.duration("REPRISE_HTTP_READ_TIMEOUT", DEFAULT_READ_TIMEOUT),
        e.duration("REPRISE_HTTP_IDLE_TIMEOUT", DEFAULT_IDLE_TIMEOUT),
        e.integer("REPRISE_HTTP_RESUME_CONCURRENCY", defaultResumeConcurrency()));
  }
}
